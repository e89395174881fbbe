// How the passkey ceremonies' failures (@simplewebauthn/browser) read: a cancelled or timed-out
// prompt is the person's choice, not an error of Hearth's. Told apart by their codes, without
// importing the library, so the log-in page can load it only when a passkey is used.

export type PasskeyFailure = "cancelled" | "unsupported" | "failed";

export function describePasskeyFailure(error: unknown): PasskeyFailure {
  if (typeof window !== "undefined" && !window.PublicKeyCredential) return "unsupported";
  // A WebAuthnError carries an ERROR_… code (a DOMException's code is a number).
  const code = error instanceof Error && "code" in error ? error.code : null;
  if (typeof code === "string" && code.startsWith("ERROR_")) return code === "ERROR_CEREMONY_ABORTED" ? "cancelled" : "failed";
  // The browser's own NotAllowedError: the person closed the prompt, or it timed out.
  if (error instanceof DOMException && (error.name === "NotAllowedError" || error.name === "AbortError")) return "cancelled";
  return "failed";
}
