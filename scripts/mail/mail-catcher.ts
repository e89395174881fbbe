// A real SMTP server on loopback for development and tests (the `smtp-server` library): it accepts
// every mail Hearth sends and keeps it in a folder, one `<time>-<id>.eml` as received and one
// `.json` with the decoded recipients, subject and text (scripts/mail/mailbox.ts reads them). For a
// developer it also prints "Mail for x@y: <first link>"; a test server prints no links, since
// they hold tokens and the browser tests scan the server log for tokens.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { SMTPServer } from "smtp-server";
import { decodeMail } from "./decode-mail";

export interface CaughtMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  receivedAt: string;
}

export interface MailCatcher {
  /** smtp://127.0.0.1:<port>, for HEARTH_SMTP_URL. */
  url: string;
  dir: string;
  stop(): Promise<void>;
}

const MAX_MAIL_BYTES = 1024 * 1024;

export async function startMailCatcher(options: { dir: string; log?: (line: string) => void; printLinks: boolean }): Promise<MailCatcher> {
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    size: MAX_MAIL_BYTES,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const mail = decodeMail(raw);
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        const receivedAt = new Date().toISOString();
        const name = `${receivedAt.replace(/[:.]/g, "-")}-${randomBytes(4).toString("hex")}`;
        const caught: CaughtMail = { to, subject: mail.subject, text: mail.text, html: mail.html, receivedAt };
        writeFileSync(path.join(options.dir, `${name}.eml`), raw, { mode: 0o600 });
        // The .json last: a reader that sees it finds the whole mail.
        writeFileSync(path.join(options.dir, `${name}.json`), JSON.stringify(caught), { mode: 0o600 });
        const link = options.printLinks ? /https?:\/\/\S+/.exec(mail.text)?.[0] : undefined;
        options.log?.(`Mail for ${to.join(", ")}: ${link ?? mail.subject}`);
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  // A client that drops its connection (ECONNRESET) is that connection's problem: unhandled, the
  // server's 'error' event ended the whole process (the test run or the app beside it).
  server.on("error", (error: NodeJS.ErrnoException) => options.log?.(`A mail connection failed (${error.code ?? error.message}).`));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    dir: options.dir,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
