"use client";
// Saves a file's local copy as a download, under the name it was sent with: an <a download> to its
// object URL, which the browser resolves when clicked; the URL is revoked once the browser has
// certainly taken the bytes. The Blob of anything but media is application/octet-stream (the
// engine's openAttachment), so a sender's HTML is saved, never opened as a page of ours.

/** Long enough for the browser to have begun reading the Blob (it then holds it itself). */
const REVOKE_AFTER_MS = 60_000;

export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.rel = "noopener";
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}
