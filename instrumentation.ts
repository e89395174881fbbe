// Next calls register() once when a server starts: the place for Hearth's background sweepers.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs" || !process.env.DATABASE_URL) return;
  const { startSweepers } = await import("./server/jobs/start-sweepers");
  startSweepers();
}
