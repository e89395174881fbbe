"use client";
// Files dropped anywhere on the conversation (its list as well as the composer) go to the composer:
// the zone is the composer's conversation, found from the composer itself, so the screens need not
// know. Only drags that carry files are taken; text dragged within the page behaves as usual.
import { useEffect, useRef, useState, type RefObject } from "react";
import { dragHasFiles } from "./attachment-choice";

/** The element around a conversation (its list and composer), where files may be dropped. */
const ZONE_SELECTOR = ".chat-conversation";

/** Whether files are being dragged over the zone; dropped files go to `onFiles` while `enabled`. */
export function useFileDrop(inside: RefObject<HTMLElement | null>, onFiles: (files: File[]) => void, enabled: boolean): boolean {
  const [dragging, setDragging] = useState(false);
  // The latest callback, without subscribing again (and losing count of a drag) at every render.
  const take = useRef(onFiles);
  useEffect(() => {
    take.current = onFiles;
  }, [onFiles]);
  useEffect(() => {
    const own = inside.current;
    const zone = own?.closest<HTMLElement>(ZONE_SELECTOR) ?? own;
    if (!zone || !enabled) return;
    // dragenter and dragleave fire for every child crossed: count them to know when the drag left.
    let depth = 0;
    const enter = (event: DragEvent) => {
      if (!dragHasFiles(event.dataTransfer)) return;
      event.preventDefault();
      depth++;
      setDragging(true);
    };
    const over = (event: DragEvent) => {
      if (!dragHasFiles(event.dataTransfer)) return;
      // Without this the browser would open the file in place of the page.
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
    };
    const leave = (event: DragEvent) => {
      if (!dragHasFiles(event.dataTransfer)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (event: DragEvent) => {
      if (!dragHasFiles(event.dataTransfer)) return;
      event.preventDefault();
      depth = 0;
      setDragging(false);
      const files = Array.from(event.dataTransfer?.files ?? []);
      if (files.length) take.current(files);
    };
    zone.addEventListener("dragenter", enter);
    zone.addEventListener("dragover", over);
    zone.addEventListener("dragleave", leave);
    zone.addEventListener("drop", drop);
    return () => {
      zone.removeEventListener("dragenter", enter);
      zone.removeEventListener("dragover", over);
      zone.removeEventListener("dragleave", leave);
      zone.removeEventListener("drop", drop);
      setDragging(false);
    };
  }, [inside, enabled]);
  return dragging;
}
