// The browser half of the passkey ceremonies (@simplewebauthn/browser), and how their failures read:
// a cancelled or timed-out prompt is the person's choice, not an error of Hearth's.
import { WebAuthnError } from "@simplewebauthn/browser";

export type PasskeyFailure = "cancelled" | "unsupported" | "failed";

export function describePasskeyFailure(error: unknown): PasskeyFailure {
  if (typeof window !== "undefined" && !window.PublicKeyCredential) return "unsupported";
  if (error instanceof WebAuthnError) return error.code === "ERROR_CEREMONY_ABORTED" ? "cancelled" : "failed";
  // The browser's own NotAllowedError: the person closed the prompt, or it timed out.
  if (error instanceof DOMException && (error.name === "NotAllowedError" || error.name === "AbortError")) return "cancelled";
  return "failed";
}
