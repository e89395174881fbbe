// What a file in a message shows about where it stands, from the engine's view of it: moving (with
// a whole percentage), failed (and whether trying again can help), on the server, or here.
import type { AttachmentView } from "@/app/_chat/engine/types";

export type AttachmentPhase =
  | { kind: "uploading"; percent: number }
  /** `cancelled`: the person stopped it (not worth a warning colour). */
  | { kind: "upload-failed"; cancelled: boolean; reason: string | null }
  /** On the server, not on this device: a download away. */
  | { kind: "remote" }
  | { kind: "downloading"; percent: number }
  | { kind: "download-failed"; reason: string | null }
  /** The server no longer has it and this device never got it: nothing to try. */
  | { kind: "gone" }
  /** A local copy is here: it opens, plays and saves offline. */
  | { kind: "local" };

const CANCELLED = "chat_attachment_cancelled";
const GONE = "chat_attachment_gone";

export function attachmentPhase(view: Pick<AttachmentView, "status" | "progress" | "error">): AttachmentPhase {
  switch (view.status) {
    case "uploading":
      return { kind: "uploading", percent: percentOf(view.progress) };
    case "upload-failed":
      return { kind: "upload-failed", cancelled: view.error === CANCELLED, reason: view.error };
    case "available":
      return { kind: "remote" };
    case "downloading":
      return { kind: "downloading", percent: percentOf(view.progress) };
    case "download-failed":
      if (view.error === GONE) return { kind: "gone" };
      // A download the person stopped is just not here yet.
      if (view.error === CANCELLED) return { kind: "remote" };
      return { kind: "download-failed", reason: view.error };
    case "downloaded":
      return { kind: "local" };
  }
}

/** 0..1 (or null, not started) as a whole percentage; never 100 before the engine says done. */
export function percentOf(progress: number | null): number {
  if (progress === null || !Number.isFinite(progress)) return 0;
  return Math.min(99, Math.max(0, Math.floor(progress * 100)));
}
