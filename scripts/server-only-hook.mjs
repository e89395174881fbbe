// A module resolution hook for the server process: "server-only" throws when imported outside
// React Server Components, to keep server code out of browser bundles. scripts/start.ts loads
// the tRPC router itself (scripts/serve-trpc.ts), in a process that is the server, so there the
// guard resolves to an empty module. Next's own bundles have the guard compiled in and never ask.

/** @type {import("node:module").ResolveHook} */
export async function resolve(specifier, context, nextResolve) {
  if (specifier === "server-only") return { url: "data:text/javascript,", shortCircuit: true };
  return nextResolve(specifier, context);
}
