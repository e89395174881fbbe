// Outgoing mail through the SMTP server of HEARTH_SMTP_URL (nodemailer). Mails are sent after the
// request has been answered, so that neither the answer nor its timing says whether a mail went
// out (password reset, sign-up with a taken address); a failure is logged without the recipient or
// the content, which hold an address and, often, a token.
import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { serverEnv } from "../env";
import { AppError } from "../errors";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

let transport: { url: string; transporter: Transporter } | undefined;

function transporter(url: string): Transporter {
  if (transport?.url !== url) transport = { url, transporter: nodemailer.createTransport(url) };
  return transport.transporter;
}

export function mailConfigured(): boolean {
  return serverEnv().HEARTH_SMTP_URL !== undefined;
}

/**
 * Refuses a feature that needs mail on a server without it.
 * @throws AppError MAIL_NOT_CONFIGURED
 */
export function requireMail(): void {
  if (!mailConfigured()) throw new AppError("MAIL_NOT_CONFIGURED", "Email is not set up on this server.");
}

/** Sends now; resolves when the SMTP server has accepted the mail. */
export async function sendMail(mail: OutgoingMail): Promise<void> {
  const { HEARTH_SMTP_URL: url, HEARTH_MAIL_FROM: from } = serverEnv();
  if (!url) return;
  await transporter(url).sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
}

/** Sends after this request, without waiting; does nothing without mail set up. */
export function sendMailLater(mail: OutgoingMail): void {
  if (!mailConfigured()) return;
  setTimeout(() => {
    sendMail(mail).catch((error: unknown) => {
      const code = error && typeof error === "object" && "code" in error ? String(error.code) : "unknown";
      console.error(`[mail] A mail could not be sent (${code}).`);
    });
  }, 0);
}
