"use client";
// The files chosen for the next message, above the text field: a small picture of each image (an
// object URL of the chosen file, revoked when it leaves the tray), its name and size, and a button
// that takes it out again.
import { useFormatter, useTranslations } from "next-intl";
import { useCallback } from "react";
import { withoutDirectionControls } from "@/app/_shared/isomorphic/bidi";
import { Icon } from "@/app/_shared/ui/icons";
import type { ChosenFile } from "./attachment-choice";
import { AttachmentIcon } from "./attachment-icons";
import { formatFileSize } from "./attachment-size";
import { FileName } from "./file-name";

interface AttachmentTrayProps {
  chosen: readonly ChosenFile[];
  onRemove: (key: string) => void;
  disabled: boolean;
  /** One photo may go view-once (null: not offered, more than one file or no image). */
  viewOnce: { on: boolean; set: (on: boolean) => void } | null;
}

export function AttachmentTray({ chosen, onRemove, disabled, viewOnce }: AttachmentTrayProps) {
  const t = useTranslations("chat.attachments");
  const tViewOnce = useTranslations("chat.viewOnce");
  if (!chosen.length) return null;
  return (
    <>
      <ul className="chat-tray" aria-label={t("trayLabel", { count: chosen.length })} data-testid="attachment-tray">
        {chosen.map(({ key, file }) => (
          <TrayItem key={key} file={file} onRemove={() => onRemove(key)} disabled={disabled} />
        ))}
      </ul>
      {viewOnce ? (
        <label className="chat-view-once-toggle">
          <input
            type="checkbox"
            checked={viewOnce.on}
            disabled={disabled}
            onChange={(event) => viewOnce.set(event.target.checked)}
            data-testid="view-once-toggle"
          />
          {tViewOnce("toggle")}
        </label>
      ) : null}
    </>
  );
}

function TrayItem({ file, onRemove, disabled }: { file: File; onRemove: () => void; disabled: boolean }) {
  const t = useTranslations("chat.attachments");
  const format = useFormatter();
  const image = file.type.startsWith("image/");
  // As it will be sent: the engine takes direction controls out of the name (prepare-file.ts).
  const name = withoutDirectionControls(file.name);
  return (
    <li className="chat-tray-item" data-testid="attachment-tray-item" data-name={name}>
      {image ? <TrayPicture file={file} /> : <AttachmentIcon name="file" className="chat-tray-icon" />}
      <span className="chat-file-text">
        <FileName name={name} />
        <span className="chat-file-size">{formatFileSize(file.size, format)}</span>
      </span>
      <button type="button" className="icon-button chat-tray-remove" aria-label={t("remove", { name })} onClick={onRemove} disabled={disabled}>
        <Icon name="close" />
      </button>
    </li>
  );
}

function TrayPicture({ file }: { file: File }) {
  // The URL lives exactly as long as the <img> shows this file (a ref callback's cleanup revokes it).
  const show = useCallback(
    (image: HTMLImageElement | null) => {
      if (!image) return;
      const url = URL.createObjectURL(file);
      image.src = url;
      return () => URL.revokeObjectURL(url);
    },
    [file],
  );
  // The name beside it says what it is.
  // eslint-disable-next-line @next/next/no-img-element -- a local object URL, which next/image could not fetch
  return <img ref={show} className="chat-tray-picture" alt="" width={48} height={48} />;
}
