// Next calls register() once when a server starts: it validates the configuration (a bad variable
// stops the server with its name and what it accepts) and starts Hearth's background sweepers.
export async function register(): Promise<void> {
  // NEXT_RUNTIME is Next's own build-time constant, not configuration: only the Node.js server
  // (not an edge bundle) may load the server modules below.
  // eslint-disable-next-line no-restricted-syntax -- see above
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { serverEnv } = await import("./server/env");
  if (!serverEnv().DATABASE_URL) return;
  const { startSweepers } = await import("./server/jobs/start-sweepers");
  startSweepers();
}
