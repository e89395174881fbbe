// The mails about an account, in English and German: plain text plus the same words as simple
// HTML. No images, no tracking, no links but Hearth's own (from HEARTH_PUBLIC_ORIGIN); a link that
// holds a token carries it in the fragment, which browsers never send to a server.
import "server-only";
import { isLocale, type Locale } from "@/app/_shared/isomorphic/locales";
import type { OutgoingMail } from "./send-mail";

interface MailWords {
  subject: string;
  lines: string[];
  /** The link's label in the HTML part. */
  action?: string;
  link?: string;
  footer: string;
}

const FOOTER = {
  en: "You get this mail because of an account on this Hearth server. Hearth sends no newsletters or advertising.",
  de: "Du bekommst diese Mail wegen eines Kontos auf diesem Hearth-Server. Hearth verschickt keine Newsletter und keine Werbung.",
} satisfies Record<Locale, string>;

const WORDS = {
  verify: {
    en: (handle: string) => ({
      subject: "Confirm your email address for Hearth",
      lines: [
        `Hello @${handle},`,
        "please confirm that this address belongs to your Hearth account. The link works once, for 24 hours.",
        "If you did not ask for this, ignore this mail: nothing changes.",
      ],
      action: "Confirm my address",
    }),
    de: (handle: string) => ({
      subject: "Bestätige deine E-Mail-Adresse für Hearth",
      lines: [
        `Hallo @${handle},`,
        "bitte bestätige, dass diese Adresse zu deinem Hearth-Konto gehört. Der Link gilt einmal, 24 Stunden lang.",
        "Wenn du das nicht angefordert hast, ignoriere diese Mail: Es ändert sich nichts.",
      ],
      action: "Meine Adresse bestätigen",
    }),
  },
  reset: {
    en: (handle: string) => ({
      subject: "Reset your Hearth password",
      lines: [
        `Hello @${handle},`,
        "someone asked to reset the password of your Hearth account. The link works once, for 30 minutes, and logs out every browser.",
        "If it was not you, ignore this mail: your password stays as it is.",
      ],
      action: "Choose a new password",
    }),
    de: (handle: string) => ({
      subject: "Setze dein Hearth-Passwort zurück",
      lines: [
        `Hallo @${handle},`,
        "jemand möchte das Passwort deines Hearth-Kontos zurücksetzen. Der Link gilt einmal, 30 Minuten lang, und meldet alle Browser ab.",
        "Wenn du das nicht warst, ignoriere diese Mail: Dein Passwort bleibt, wie es ist.",
      ],
      action: "Neues Passwort wählen",
    }),
  },
  addressTaken: {
    en: (handle: string) => ({
      subject: "Someone tried to use your address on Hearth",
      lines: [
        `Hello @${handle},`,
        "someone just tried to create a Hearth account, or to move one, to this email address. It already belongs to your account, so nothing was changed and they were not told.",
        "If it was you, log in instead; if you forgot your password, use “Forgot password?” on the log-in page.",
      ],
    }),
    de: (handle: string) => ({
      subject: "Jemand wollte deine Adresse bei Hearth verwenden",
      lines: [
        `Hallo @${handle},`,
        "jemand wollte gerade ein Hearth-Konto mit dieser E-Mail-Adresse anlegen oder eines auf sie umstellen. Sie gehört schon zu deinem Konto, deshalb wurde nichts geändert, und es wurde niemandem gesagt.",
        "Warst du es, melde dich stattdessen an; hast du dein Passwort vergessen, nutze „Passwort vergessen?“ auf der Anmeldeseite.",
      ],
    }),
  },
  changeRequested: {
    en: (handle: string) => ({
      subject: "A new email address was requested for your Hearth account",
      lines: [
        `Hello @${handle},`,
        "someone logged in to your Hearth account asked to change its email address. The change takes effect only when it is confirmed from the new address.",
        "If this was not you, log in, change your password and log out every other session.",
      ],
    }),
    de: (handle: string) => ({
      subject: "Für dein Hearth-Konto wurde eine neue E-Mail-Adresse angefordert",
      lines: [
        `Hallo @${handle},`,
        "jemand, der in deinem Hearth-Konto angemeldet ist, möchte dessen E-Mail-Adresse ändern. Die Änderung gilt erst, wenn sie von der neuen Adresse aus bestätigt wird.",
        "Warst du das nicht, melde dich an, ändere dein Passwort und melde alle anderen Sitzungen ab.",
      ],
    }),
  },
} satisfies Record<string, Record<Locale, (handle: string) => Omit<MailWords, "footer" | "link">>>;

export type AccountMailKind = keyof typeof WORDS;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function render(to: string, words: MailWords): OutgoingMail {
  const text = [...words.lines, ...(words.link ? ["", words.link] : []), "", "—", words.footer].join("\n");
  const paragraphs = words.lines.map((line) => `<p>${escapeHtml(line)}</p>`);
  const button =
    words.link && words.action ? [`<p><a href="${escapeHtml(words.link)}">${escapeHtml(words.action)}</a></p>`, `<p>${escapeHtml(words.link)}</p>`] : [];
  const html = `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">${[...paragraphs, ...button].join("")}<hr><p style="color:#555;font-size:90%">${escapeHtml(words.footer)}</p></body></html>`;
  return { to, subject: words.subject, text, html };
}

/** A mail of a kind to one address, in the account's language (English when it has none). */
export function accountMail(options: { kind: AccountMailKind; to: string; handle: string; locale: string | null; link?: string }): OutgoingMail {
  const locale: Locale = isLocale(options.locale) ? options.locale : "en";
  const words = WORDS[options.kind][locale](options.handle);
  return render(options.to, { ...words, link: options.link, footer: FOOTER[locale] });
}
