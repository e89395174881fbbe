"use client";
// A picture full size, in a modal dialog (Escape, the close button or a click beside it closes it,
// and focus goes back to the picture in the message). Loaded only when someone opens a picture.
import { ModalDialog } from "@/app/_shared/ui/modal-dialog";

interface AttachmentViewerProps {
  /** The object URL of the local copy (the message's preview holds it while the viewer is open). */
  url: string;
  name: string;
  width: number | null;
  height: number | null;
  onClose: () => void;
}

export function AttachmentViewer({ url, name, width, height, onClose }: AttachmentViewerProps) {
  return (
    <ModalDialog open onClose={onClose} title={name} className="dialog-media">
      <figure className="lightbox" data-testid="attachment-viewer">
        {/* eslint-disable-next-line @next/next/no-img-element -- a local object URL, which next/image could not fetch */}
        <img className="lightbox-image" src={url} alt={name} width={width ?? undefined} height={height ?? undefined} />
      </figure>
    </ModalDialog>
  );
}
