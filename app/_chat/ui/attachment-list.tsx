"use client";
// The files of a message, under its text. A photo shows its thumbnail (blurred, at the photo's
// shape) at once and the full picture once it is on this device, which opens full size on a click;
// a video plays and a voice message sounds from the local copy; any other file shows its name and
// size and saves with Download (fetching it first when needed). Under each, while it moves or when
// it failed, a line says so with its percentage, Cancel, Retry or Try again, and a polite live
// region announces each change of state (not every percent).
//
// Object URLs come from the local copies (attachment-urls.ts) and are revoked when no longer shown.
// Sizes come from the message, so nothing jumps when a picture loads. No style attributes (the CSP
// forbids them): the progress bar's fill is set through the CSSOM.
import dynamic from "next/dynamic";
import { useFormatter, useTranslations } from "next-intl";
import { useCallback, useState } from "react";
import { chatErrorCode } from "@/app/_chat/engine/chat-engine-error";
import { useChatCommands } from "@/app/_chat/engine/chat-engine-provider";
import type { AttachmentView, ChatMessage } from "@/app/_chat/engine/types";
import { Icon } from "@/app/_shared/ui/icons";
import { AttachmentIcon } from "./attachment-icons";
import { previewBox } from "./attachment-layout";
import { saveBlob } from "./attachment-save";
import { formatFileSize } from "./attachment-size";
import { FileName } from "./file-name";
import { attachmentPhase, type AttachmentPhase } from "./attachment-status";
import { useAttachmentUrl } from "./attachment-urls";
import { useChatErrorText } from "./use-chat-error-text";

// The full-size viewer loads only when someone opens a picture.
const AttachmentViewer = dynamic(() => import("./attachment-viewer").then((m) => m.AttachmentViewer), { ssr: false });

export function MessageAttachments({ message }: { message: ChatMessage }) {
  const t = useTranslations("chat.attachments");
  const { attachments } = message;
  if (!attachments.length) return null;
  return (
    <ul className="chat-attachments" aria-label={t("listLabel", { count: attachments.length })}>
      {attachments.map((attachment) => (
        <li key={attachment.id}>
          <AttachmentItem messageId={message.id} attachment={attachment} />
        </li>
      ))}
    </ul>
  );
}

interface ItemProps {
  messageId: string;
  attachment: AttachmentView;
}

function AttachmentItem({ messageId, attachment }: ItemProps) {
  const phase = attachmentPhase(attachment);
  const actions = useAttachmentActions(messageId, attachment);
  const announcement = useAnnouncement(phase, attachment.name);
  return (
    <div
      className={`chat-attachment chat-attachment-${attachment.kind}`}
      data-testid="attachment"
      data-kind={attachment.kind}
      data-status={attachment.status}
      data-name={attachment.name}
    >
      {attachment.kind === "image" ? (
        <ImagePreview messageId={messageId} attachment={attachment} phase={phase} />
      ) : attachment.kind === "video" ? (
        <VideoPreview messageId={messageId} attachment={attachment} phase={phase} onDownload={actions.download} />
      ) : attachment.kind === "voice" ? (
        <VoiceNote messageId={messageId} attachment={attachment} phase={phase} onDownload={actions.download} />
      ) : (
        <FileRow attachment={attachment} phase={phase} onSave={actions.save} />
      )}
      <StatusLine attachment={attachment} phase={phase} actions={actions} />
      <span className="sr-only" role="status">
        {announcement}
      </span>
    </div>
  );
}

interface AttachmentActions {
  /** Fetches the file into this device's storage; false when it did not come. */
  download: () => Promise<boolean>;
  /** Saves the file as a download, fetching it first when needed. */
  save: () => Promise<void>;
  cancel: () => void;
  retryUpload: () => void;
  /** A failure the file's status does not show (a refused command, a local copy that went missing). */
  error: string | null;
}

function useAttachmentActions(messageId: string, attachment: AttachmentView): AttachmentActions {
  const commands = useChatCommands();
  const [error, setError] = useState<string | null>(null);
  const { id, name, status } = attachment;
  const fail = useCallback((failure: unknown) => {
    const code = chatErrorCode(failure);
    // Stopping a download is the person's own doing, and a failed one shows on the file itself.
    if (code !== "chat_attachment_cancelled") setError(code);
  }, []);
  const download = useCallback(async () => {
    setError(null);
    try {
      await commands.downloadAttachment(messageId, id);
      return true;
    } catch (failure) {
      fail(failure);
      return false;
    }
  }, [commands, messageId, id, fail]);
  const save = useCallback(async () => {
    if (status !== "downloaded" && !(await download())) return;
    try {
      saveBlob(await commands.openAttachment(messageId, id), name);
    } catch (failure) {
      fail(failure);
    }
  }, [commands, messageId, id, name, status, download, fail]);
  const cancel = useCallback(() => {
    setError(null);
    const stopping = status === "uploading" ? commands.cancelUpload(messageId) : commands.cancelDownload(messageId, id);
    stopping.catch(fail);
  }, [commands, messageId, id, status, fail]);
  const retryUpload = useCallback(() => {
    setError(null);
    commands.retry(messageId).catch(fail);
  }, [commands, messageId, fail]);
  return { download, save, cancel, retryUpload, error };
}

/** A photo: its thumbnail at once, the full picture once here (a button that opens it full size). */
function ImagePreview({ messageId, attachment, phase }: ItemProps & { phase: AttachmentPhase }) {
  const t = useTranslations("chat.attachments");
  const [viewing, setViewing] = useState(false);
  const local = useAttachmentUrl(messageId, attachment.id, phase.kind === "local");
  const box = previewBox(attachment);
  const url = local?.url ?? null;
  if (!url) {
    return (
      <div className="chat-attachment-preview">
        <PreviewFrame attachment={attachment} box={box} />
      </div>
    );
  }
  return (
    <>
      <button type="button" className="chat-attachment-preview is-openable" aria-label={t("view", { name: attachment.name })} onClick={() => setViewing(true)}>
        {/* eslint-disable-next-line @next/next/no-img-element -- a local object URL, which next/image could not fetch */}
        <img src={url} alt={attachment.name} width={box.width} height={box.height} decoding="async" data-testid="attachment-image" />
      </button>
      {viewing ? (
        <AttachmentViewer url={url} name={attachment.name} width={attachment.width} height={attachment.height} onClose={() => setViewing(false)} />
      ) : null}
    </>
  );
}

/** The thumbnail (blurred: it is small), or a plain box of the same shape when there is none. */
function PreviewFrame({ attachment, box, icon = "file" }: { attachment: AttachmentView; box: { width: number; height: number }; icon?: "file" | "play" }) {
  if (attachment.thumbnailUrl) {
    return (
      <span className="chat-attachment-frame">
        {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL from the message itself */}
        <img
          className="chat-attachment-thumbnail"
          src={attachment.thumbnailUrl}
          alt={attachment.name}
          width={box.width}
          height={box.height}
          data-testid="attachment-thumbnail"
        />
      </span>
    );
  }
  return (
    <span className="chat-attachment-frame is-empty">
      {/* A box of the picture's shape: width and height attributes, as the CSP allows no style. */}
      <svg className="chat-attachment-placeholder" width={box.width} height={box.height} viewBox={`0 0 ${box.width} ${box.height}`} aria-hidden="true" />
      <AttachmentIcon name={icon} className="chat-attachment-placeholder-icon" />
    </span>
  );
}

/** A video: its thumbnail with a play button; playing fetches it first when it is not here yet. */
function VideoPreview({ messageId, attachment, phase, onDownload }: ItemProps & { phase: AttachmentPhase; onDownload: () => Promise<boolean> }) {
  const t = useTranslations("chat.attachments");
  const [playing, setPlaying] = useState(false);
  const local = useAttachmentUrl(messageId, attachment.id, playing && phase.kind === "local");
  const box = previewBox(attachment);
  if (local?.url) {
    return (
      <video
        className="chat-attachment-video"
        src={local.url}
        width={box.width}
        height={box.height}
        controls
        autoPlay
        aria-label={attachment.name}
        data-testid="attachment-video"
      />
    );
  }
  const canPlay = phase.kind === "local" || phase.kind === "remote";
  return (
    <button
      type="button"
      className="chat-attachment-preview is-openable"
      aria-label={t("play", { name: attachment.name })}
      aria-disabled={!canPlay}
      onClick={() => {
        if (!canPlay) return;
        setPlaying(true);
        if (phase.kind === "remote") void onDownload();
      }}
    >
      <PreviewFrame attachment={attachment} box={box} icon="play" />
      <span className="chat-attachment-play" aria-hidden="true">
        <AttachmentIcon name="play" />
      </span>
      {attachment.durationMs !== null ? (
        <span className="chat-attachment-duration" aria-hidden="true">
          {formatDuration(attachment.durationMs)}
        </span>
      ) : null}
    </button>
  );
}

/** A voice message: the player once it is here, else its length and a Download button. */
function VoiceNote({ messageId, attachment, phase, onDownload }: ItemProps & { phase: AttachmentPhase; onDownload: () => Promise<boolean> }) {
  const t = useTranslations("chat.attachments");
  const local = useAttachmentUrl(messageId, attachment.id, phase.kind === "local");
  return (
    <div className="chat-voice">
      <AttachmentIcon name="mic" className="chat-voice-icon" />
      {local?.url ? (
        <audio
          className="chat-voice-player"
          src={local.url}
          controls
          preload="metadata"
          aria-label={t("voiceLabel", { name: attachment.name })}
          data-testid="attachment-audio"
        />
      ) : (
        <span className="chat-file-text">
          <FileName name={attachment.name} />
          {attachment.durationMs !== null ? <span className="chat-file-size">{formatDuration(attachment.durationMs)}</span> : null}
        </span>
      )}
      {phase.kind === "remote" ? <DownloadButton name={attachment.name} onClick={() => void onDownload()} /> : null}
    </div>
  );
}

/** Any other file: an icon, its name and size, and Download while there is something to save. */
function FileRow({ attachment, phase, onSave }: { attachment: AttachmentView; phase: AttachmentPhase; onSave: () => Promise<void> }) {
  const format = useFormatter();
  return (
    <div className="chat-file">
      <AttachmentIcon name="file" className="chat-file-icon" />
      <span className="chat-file-text">
        <FileName name={attachment.name} />
        <span className="chat-file-size">{formatFileSize(attachment.size, format)}</span>
      </span>
      {phase.kind === "local" || phase.kind === "remote" ? <DownloadButton name={attachment.name} onClick={() => void onSave()} /> : null}
    </div>
  );
}

function DownloadButton({ name, onClick }: { name: string; onClick: () => void }) {
  const t = useTranslations("chat.attachments");
  return (
    <button type="button" className="chat-attachment-button" aria-label={t("downloadNamed", { name })} onClick={onClick} data-testid="attachment-download">
      <AttachmentIcon name="download" />
      <span aria-hidden="true">{t("download")}</span>
    </button>
  );
}

/** Where the file stands, when there is anything to say: moving, failed, or gone. */
function StatusLine({ attachment, phase, actions }: { attachment: AttachmentView; phase: AttachmentPhase; actions: AttachmentActions }) {
  const t = useTranslations("chat.attachments");
  const format = useFormatter();
  const errorText = useChatErrorText();
  const { name } = attachment;
  const extra = actions.error ? <span role="alert">{errorText(actions.error)}</span> : null;
  switch (phase.kind) {
    case "uploading":
    case "downloading": {
      const words = phase.kind === "uploading" ? t("uploading", { percent: phase.percent }) : t("downloading", { percent: phase.percent });
      return (
        <div className="chat-attachment-status">
          <span className="chat-attachment-status-text" aria-hidden="true">
            {words}
          </span>
          <ProgressBar percent={phase.percent} label={phase.kind === "uploading" ? t("uploadingNamed", { name }) : t("downloadingNamed", { name })} />
          <button
            type="button"
            className="chat-attachment-link"
            aria-label={phase.kind === "uploading" ? t("cancelUploadNamed", { name }) : t("cancelDownloadNamed", { name })}
            onClick={actions.cancel}
            data-testid="attachment-cancel"
          >
            {t("cancel")}
          </button>
          {extra}
        </div>
      );
    }
    case "upload-failed":
      return (
        <div className={phase.cancelled ? "chat-attachment-status" : "chat-attachment-status is-failed"}>
          {phase.cancelled ? null : <Icon name="warning" />}
          <span className="chat-attachment-status-text">
            {phase.cancelled ? t("uploadCancelled") : t("uploadFailed")}
            {!phase.cancelled && phase.reason ? ` ${errorText(phase.reason)}` : ""}
          </span>
          <button
            type="button"
            className="chat-attachment-link"
            aria-label={t("retryUploadNamed", { name })}
            onClick={actions.retryUpload}
            data-testid="attachment-retry"
          >
            {t("retry")}
          </button>
          {extra}
        </div>
      );
    case "download-failed":
      return (
        <div className="chat-attachment-status is-failed">
          <Icon name="warning" />
          <span className="chat-attachment-status-text">
            {t("downloadFailed")}
            {phase.reason ? ` ${errorText(phase.reason)}` : ""}
          </span>
          <button
            type="button"
            className="chat-attachment-link"
            aria-label={t("tryAgainNamed", { name })}
            onClick={() => void (attachment.kind === "file" ? actions.save() : actions.download())}
            data-testid="attachment-download"
          >
            {t("tryAgain")}
          </button>
        </div>
      );
    case "gone":
      return (
        <div className="chat-attachment-status" data-testid="attachment-gone">
          <span className="chat-attachment-status-text">{t("gone")}</span>
        </div>
      );
    case "remote":
      // A picture too large to come by itself (a video plays, a voice message and a file have their own button).
      return attachment.kind === "image" ? (
        <div className="chat-attachment-status">
          <DownloadButton name={name} onClick={() => void actions.download()} />
          <span className="chat-attachment-status-text">{formatFileSize(attachment.size, format)}</span>
          {extra}
        </div>
      ) : extra ? (
        <div className="chat-attachment-status">{extra}</div>
      ) : null;
    case "local":
      return extra ? <div className="chat-attachment-status">{extra}</div> : null;
  }
}

function ProgressBar({ percent, label }: { percent: number; label: string }) {
  // The fill's width through the CSSOM (a style attribute would be refused by the CSP).
  const fill = useCallback((element: HTMLSpanElement | null) => element?.style.setProperty("--progress", String(percent / 100)), [percent]);
  return (
    <span
      className="chat-progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      data-testid="attachment-progress"
    >
      <span ref={fill} className="chat-progress-fill" />
    </span>
  );
}

/**
 * What the live region says: each change of state once (not every percent, and nothing for the
 * state a file already had when its row appeared). Adjusted while rendering, as React advises.
 */
function useAnnouncement(phase: AttachmentPhase, name: string): string {
  const t = useTranslations("chat.attachments.announce");
  const [seen, setSeen] = useState(phase.kind);
  const [said, setSaid] = useState("");
  if (seen !== phase.kind) {
    setSeen(phase.kind);
    const words =
      phase.kind === "local"
        ? seen === "uploading"
          ? t("uploaded", { name })
          : t("downloaded", { name })
        : phase.kind === "remote"
          ? ""
          : t(phase.kind, { name });
    setSaid(words);
  }
  return said;
}

/** m:ss (or h:mm:ss). */
function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const seconds = String(total % 60).padStart(2, "0");
  const minutes = Math.floor(total / 60);
  return minutes >= 60 ? `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}
