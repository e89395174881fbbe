"use client";
// Object URLs of files' local copies. Every element showing the same file shares one URL, which is
// revoked a little after the last lets go: the virtualized list unmounts rows while scrolling, and a
// row that comes back soon finds its picture still there instead of reading the storage again.
import { useEffect, useState } from "react";
import { chatErrorCode } from "@/app/_chat/engine/chat-engine-error";
import { useChatCommands } from "@/app/_chat/engine/chat-engine-provider";

/** How long an object URL outlives its last user (ms). */
const LINGER_MS = 20_000;

interface Entry {
  url: Promise<string>;
  users: number;
  timer: ReturnType<typeof setTimeout> | null;
}

const entries = new Map<string, Entry>();

/** Takes a share of the file's object URL (made from `open` when nobody holds one); call `release` when done. */
export function holdAttachmentUrl(attachmentId: string, open: () => Promise<Blob>): { url: Promise<string>; release: () => void } {
  let entry = entries.get(attachmentId);
  if (!entry) {
    const made: Entry = { url: open().then((blob) => URL.createObjectURL(blob)), users: 0, timer: null };
    // A failed read is not kept: the next holder asks the storage again.
    made.url.catch(() => entries.get(attachmentId) === made && entries.delete(attachmentId));
    entries.set(attachmentId, made);
    entry = made;
  }
  if (entry.timer) clearTimeout(entry.timer);
  entry.timer = null;
  entry.users++;
  const held = entry;
  let released = false;
  return {
    url: held.url,
    release() {
      if (released) return;
      released = true;
      held.users--;
      if (held.users > 0) return;
      held.timer = setTimeout(() => {
        if (entries.get(attachmentId) === held) entries.delete(attachmentId);
        held.url.then(
          (url) => URL.revokeObjectURL(url),
          () => undefined,
        );
      }, LINGER_MS);
    },
  };
}

export type LocalFileUrl = { url: string; error: null } | { url: null; error: string };

/**
 * The object URL of a file's local copy while `wanted` (it is here and on screen), or its read's
 * failure code; null while it is read or when not wanted.
 */
export function useAttachmentUrl(messageId: string, attachmentId: string, wanted: boolean): LocalFileUrl | null {
  const commands = useChatCommands();
  const [loaded, setLoaded] = useState<(LocalFileUrl & { for: string }) | null>(null);
  useEffect(() => {
    if (!wanted) return;
    const held = holdAttachmentUrl(attachmentId, () => commands.openAttachment(messageId, attachmentId));
    let live = true;
    held.url.then(
      (url) => live && setLoaded({ for: attachmentId, url, error: null }),
      (error: unknown) => live && setLoaded({ for: attachmentId, url: null, error: chatErrorCode(error) }),
    );
    return () => {
      live = false;
      held.release();
    };
  }, [wanted, messageId, attachmentId, commands]);
  return wanted && loaded?.for === attachmentId ? loaded : null;
}
