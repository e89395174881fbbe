// CSRF defence for state-changing requests (lucia-auth.com's guidance): the Origin header must name
// this server's own origin, scheme, host and port alike (https://host is another origin than
// http://host). SameSite=Lax cookies already stop most cross-site posts; this closes the rest.
// Hearth's server speaks plain HTTP (scripts/start.ts); TLS is a reverse proxy's, so the scheme is
// https only when a trusted proxy says so with X-Forwarded-Proto, as the host is its X-Forwarded-Host.

/** Whether a request that changes state may proceed. GET/HEAD/OPTIONS always may. */
export function isAllowedRequestOrigin(request: { method: string; headers: Headers }, options: { trustProxy: boolean }): boolean {
  if (["GET", "HEAD", "OPTIONS"].includes(request.method)) return true;
  const origin = request.headers.get("origin");
  const own = ownOrigin(request.headers, options.trustProxy);
  if (!origin || !own) return false;
  try {
    return new URL(origin).origin === own;
  } catch {
    return false;
  }
}

/** The origin the client addressed, as a browser would write it in Origin (default port left out). */
function ownOrigin(headers: Headers, trustProxy: boolean): string | null {
  const host = (trustProxy ? lastValue(headers.get("x-forwarded-host")) : null) ?? headers.get("host");
  const scheme = (trustProxy ? lastValue(headers.get("x-forwarded-proto"))?.toLowerCase() : null) ?? "http";
  if (!host || !HOST_AND_PORT.test(host) || (scheme !== "http" && scheme !== "https")) return null;
  try {
    return new URL(`${scheme}://${host}`).origin;
  } catch {
    return null;
  }
}

/** A name or an IP address, with an optional port: nothing a URL would read as a path or credentials. */
const HOST_AND_PORT = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/i;

/** The value the nearest proxy added, as for X-Forwarded-For (server/auth/client-ip.ts). */
function lastValue(header: string | null): string | null {
  const value = header?.split(",").at(-1)?.trim();
  return value || null;
}
