// A call as this device holds it in the chat storage (sealed at rest like everything else): what
// the call page needs after its full page load (room, keys, who is who) and where the call stands
// here. Keys are dropped once the call is over for this device.
import type { CallKind, CallNoticeKind, CallState } from "../types";

export interface CallRecord {
  callId: string;
  room: string;
  kind: CallKind;
  /** The peer's user id (1:1) or the group id. */
  conversationId: string;
  group: boolean;
  /** Who started it (this person, on this device or another). */
  callerId: string;
  /** This device started it (and sends the invite once joined). */
  startedHere: boolean;
  /** This device's clock when the call was made here or its invite arrived. */
  at: number;
  state: CallState;
  /** base64url keys, oldest first; the last is current. Empty once the call is over here. */
  keys: { index: number; key: string }[];
  /** LiveKit participant id → user id, as the encrypted signalling said. */
  participants: Record<string, string>;
  /** The invite went out (the caller's first join). */
  inviteSent: boolean;
  /** Ringing here until this time (our clock). */
  ringUntil: number | null;
  durationMs: number | null;
}

export const CALL_KV = {
  call: (callId: string) => `call:${callId}`,
  /** The ids of the calls kept, oldest first. */
  index: "calls",
} as const;

/** States after which nothing more happens to the call on this device. */
export const FINISHED_CALL_STATES: ReadonlySet<CallState> = new Set(["declined", "missed", "ended"]);

/** A call notice's detail: its kind and length ("video:83000"; 0 when nobody answered). */
export function callNoticeDetail(kind: CallKind, durationMs: number | null): string {
  return `${kind}:${Math.max(0, Math.round(durationMs ?? 0))}`;
}

export function isCallNoticeKind(kind: string): kind is CallNoticeKind {
  return kind === "call-ended" || kind === "call-missed" || kind === "call-declined";
}

/** The kind and length a call notice's detail holds; null when it is not one. */
export function parseCallNoticeDetail(detail: string | null): { kind: CallKind; durationMs: number } | null {
  const match = /^(audio|video):(\d{1,9})$/.exec(detail ?? "");
  return match ? { kind: match[1] as CallKind, durationMs: Number(match[2]) } : null;
}
