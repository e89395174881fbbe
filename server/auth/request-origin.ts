// CSRF defence for state-changing requests (lucia-auth.com's guidance): the Origin header must name
// this host. SameSite=Lax cookies already stop most cross-site posts; this closes the rest.

/** Whether a request that changes state may proceed. GET/HEAD/OPTIONS always may. */
export function isAllowedRequestOrigin(
  request: { method: string; headers: Headers },
  options: { trustProxy: boolean },
): boolean {
  if (["GET", "HEAD", "OPTIONS"].includes(request.method)) return true;
  const origin = request.headers.get("origin");
  const forwardedHost = options.trustProxy ? request.headers.get("x-forwarded-host") : null;
  const host = forwardedHost ?? request.headers.get("host");
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
