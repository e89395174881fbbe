// "Firefox on Linux" from a User-Agent: the label of a sign-in session on the server and of a chat
// device in its signed device list. Never more than the browser and the system; the raw string is
// not kept.
import Bowser from "bowser";

export function deviceLabelFromUserAgent(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const parsed = Bowser.parse(userAgent.slice(0, 512));
  const browser = parsed.browser.name;
  const os = parsed.os.name;
  if (browser && os) return `${browser} on ${os}`.slice(0, 100);
  return (browser ?? os ?? "Unknown device").slice(0, 100);
}
