"use client";
// The composer's images: each one uploads as soon as it is picked (with progress), then waits
// for its description. A local blob: preview shows while the upload runs; the server's preview
// replaces it once the image is stored.
import { useCallback, useEffect, useRef, useState } from "react";
import { uploadMedia, UploadError, type UploadedMedia } from "../media/upload-media";
import { useUploadErrorText } from "../media/use-upload-error-text";

export const MAX_IMAGES_PER_POST = 4;

export interface ComposerImage {
  key: string;
  localUrl: string;
  status: "uploading" | "done" | "error";
  /** 0–1 while uploading. */
  progress: number;
  error: string | null;
  media: UploadedMedia | null;
  altText: string;
}

let nextKey = 0;

export function useMediaUploads() {
  const [images, setImages] = useState<ComposerImage[]>([]);
  // Kept beside the state, updated only in handlers: the limit must hold across picks made
  // before React re-renders, and unmounting must reach every preview URL and running upload.
  const live = useRef(new Map<string, { url: string; controller: AbortController | null }>());
  const errorText = useUploadErrorText();

  const patch = useCallback((key: string, change: Partial<ComposerImage>) => {
    setImages((all) => all.map((image) => (image.key === key ? { ...image, ...change } : image)));
  }, []);

  /** Starts uploading; returns how many files did not fit under the limit. */
  const add = useCallback(
    (files: File[]): number => {
      const room = MAX_IMAGES_PER_POST - live.current.size;
      const accepted = files.slice(0, Math.max(0, room));
      const added: ComposerImage[] = accepted.map((file) => ({
        key: `image-${++nextKey}`,
        localUrl: URL.createObjectURL(file),
        status: "uploading",
        progress: 0,
        error: null,
        media: null,
        altText: "",
      }));
      setImages((all) => [...all, ...added]);
      added.forEach((image, i) => {
        const controller = new AbortController();
        live.current.set(image.key, { url: image.localUrl, controller });
        uploadMedia(accepted[i]!, { signal: controller.signal, onProgress: (progress) => patch(image.key, { progress }) })
          .then((media) => patch(image.key, { status: "done", progress: 1, media }))
          .catch((error: unknown) => {
            if (error instanceof UploadError && error.code === "aborted") return;
            patch(image.key, { status: "error", error: errorText(error) });
          })
          .finally(() => {
            const entry = live.current.get(image.key);
            if (entry) entry.controller = null;
          });
      });
      return files.length - accepted.length;
    },
    [patch, errorText],
  );

  const remove = useCallback((key: string) => {
    const entry = live.current.get(key);
    entry?.controller?.abort();
    if (entry) URL.revokeObjectURL(entry.url);
    live.current.delete(key);
    setImages((all) => all.filter((image) => image.key !== key));
  }, []);

  const setAltText = useCallback((key: string, altText: string) => patch(key, { altText }), [patch]);

  const clear = useCallback(() => {
    releaseAll(live.current);
    setImages([]);
  }, []);

  useEffect(() => {
    const entries = live.current;
    return () => releaseAll(entries);
  }, []);

  return { images, add, remove, setAltText, clear };
}

function releaseAll(entries: Map<string, { url: string; controller: AbortController | null }>): void {
  for (const { url, controller } of entries.values()) {
    controller?.abort();
    URL.revokeObjectURL(url);
  }
  entries.clear();
}
