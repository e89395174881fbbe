// Reads the mails Hearth itself sends (nodemailer's MIME: a text/plain and a text/html part in
// multipart/alternative, each 7bit, quoted-printable or base64; RFC 2047 words in the subject).
// Enough for the local mail catcher and the tests that read it, not a general MIME parser.

export interface DecodedMail {
  subject: string;
  text: string;
  html: string;
  /** Every header by its lower-case name, unfolded, first occurrence. */
  headers: Record<string, string>;
}

function splitHead(raw: string): { headers: Record<string, string>; body: string } {
  const at = raw.search(/\r?\n\r?\n/);
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? "" : raw.slice(at).replace(/^\r?\n\r?\n/, "");
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] ??= line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text.replace(/=\r?\n/g, "").replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? "7bit").toLowerCase()) {
    case "base64":
      return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    case "quoted-printable":
      return decodeQuotedPrintable(body);
    default:
      return body;
  }
}

/** "=?UTF-8?Q?Passwort_zur=C3=BCcksetzen?=" → "Passwort zurücksetzen". */
export function decodeHeaderWords(value: string): string {
  return value.replace(/=\?([^?]+)\?([bqBQ])\?([^?]*)\?=\s*/g, (_, _charset: string, kind: string, text: string) =>
    kind.toLowerCase() === "b" ? Buffer.from(text, "base64").toString("utf8") : decodeQuotedPrintable(text.replace(/_/g, " ")),
  );
}

function parts(headers: Record<string, string>, body: string): Array<{ type: string; content: string }> {
  const type = headers["content-type"] ?? "text/plain";
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.toLowerCase().startsWith("multipart/") && boundary) {
    return body
      .split(`--${boundary}`)
      .slice(1)
      .filter((chunk) => !chunk.startsWith("--"))
      .flatMap((chunk) => {
        const part = splitHead(chunk.replace(/^\r?\n/, ""));
        return parts(part.headers, part.body.replace(/\r?\n$/, ""));
      });
  }
  return [{ type: type.split(";")[0]!.trim().toLowerCase(), content: decodeBody(body, headers["content-transfer-encoding"]) }];
}

export function decodeMail(raw: string): DecodedMail {
  const { headers, body } = splitHead(raw);
  const all = parts(headers, body);
  return {
    subject: decodeHeaderWords(headers.subject ?? ""),
    text: all.find((p) => p.type === "text/plain")?.content ?? "",
    html: all.find((p) => p.type === "text/html")?.content ?? "",
    headers,
  };
}
