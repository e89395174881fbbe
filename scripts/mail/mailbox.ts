// Reads the local mail catcher's folder (scripts/mail/mail-catcher.ts): for the tests, which follow
// the links in Hearth's mails as a person would.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { CaughtMail } from "./mail-catcher";

export function readMailbox(dir: string): CaughtMail[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => JSON.parse(readFileSync(path.join(dir, name), "utf8")) as CaughtMail);
}

/** The mails to an address (any case), oldest first. */
export function mailsTo(dir: string, address: string): CaughtMail[] {
  return readMailbox(dir).filter((mail) => mail.to.includes(address.toLowerCase()));
}

/**
 * Waits for the `count`-th mail to an address (Hearth sends after answering, so a mail lands a
 * moment after the request that caused it) and returns it.
 * @throws Error when it has not come within `timeoutMs`
 */
export async function waitForMail(dir: string, address: string, options: { count?: number; timeoutMs?: number } = {}): Promise<CaughtMail> {
  const count = options.count ?? 1;
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const mails = mailsTo(dir, address);
    if (mails.length >= count) return mails[count - 1]!;
    if (Date.now() > deadline) throw new Error(`mail ${count} to ${address} did not come (${mails.length} came)`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The first link in a mail's text whose path starts with `pathPrefix`. */
export function linkIn(mail: CaughtMail, pathPrefix: string): URL {
  for (const [match] of mail.text.matchAll(/https?:\/\/\S+/g)) {
    const url = new URL(match);
    if (url.pathname.startsWith(pathPrefix)) return url;
  }
  throw new Error(`no ${pathPrefix} link in the mail "${mail.subject}"`);
}
