// Turns a User-Agent into "Firefox on Linux" for the session list; the raw string is not stored.
import Bowser from "bowser";

export function deviceLabelFromUserAgent(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const parsed = Bowser.parse(userAgent.slice(0, 512));
  const browser = parsed.browser.name;
  const os = parsed.os.name;
  if (browser && os) return `${browser} on ${os}`.slice(0, 100);
  return (browser ?? os ?? "Unknown device").slice(0, 100);
}
