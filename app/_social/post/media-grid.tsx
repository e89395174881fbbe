"use client";
// One to four images in a grid. The width and height attributes give the browser each image's
// shape before it loads (no layout shift); a click opens the full-size image in a dialog.
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Icon } from "@/app/_shared/ui/icons";
import { ModalDialog } from "@/app/_shared/ui/modal-dialog";
import type { MediaView } from "@/app/_social/wire/views";

export function MediaGrid({ media, compact = false }: { media: MediaView[]; compact?: boolean }) {
  const t = useTranslations("social");
  const [open, setOpen] = useState<number | null>(null);
  if (media.length === 0) return null;
  const current = open === null ? null : media[open];
  return (
    <>
      <div className={`media-grid media-count-${Math.min(media.length, 4)}${compact ? " media-compact" : ""}`}>
        {media.map((item, index) => (
          <button
            key={item.id}
            type="button"
            className="media-item"
            aria-label={item.altText ? t("openImageDescribed", { description: item.altText }) : t("openImageUndescribed", { number: index + 1 })}
            onClick={() => setOpen(index)}
          >
            {/* eslint-disable-next-line @next/next/no-img-element -- private, session-bound media that next/image's optimiser could not fetch */}
            <img src={item.previewUrl} alt={item.altText} width={item.width} height={item.height} loading="lazy" decoding="async" />
            {item.altText ? (
              <span className="media-alt-badge" aria-hidden="true">
                ALT
              </span>
            ) : null}
          </button>
        ))}
      </div>
      {current && open !== null ? (
        <ModalDialog open onClose={() => setOpen(null)} title={t("imageOf", { number: open + 1, total: media.length })} className="dialog-media">
          <figure className="lightbox">
            {/* eslint-disable-next-line @next/next/no-img-element -- private, session-bound media that next/image's optimiser could not fetch */}
            <img className="lightbox-image" src={current.url} alt={current.altText} width={current.width} height={current.height} />
            {current.altText ? <figcaption className="lightbox-caption">{current.altText}</figcaption> : null}
          </figure>
          {media.length > 1 ? (
            <div className="dialog-actions lightbox-nav">
              <button type="button" className="button button-quiet" onClick={() => setOpen((open - 1 + media.length) % media.length)}>
                <Icon name="back" /> {t("previousImage")}
              </button>
              <button type="button" className="button button-quiet" onClick={() => setOpen((open + 1) % media.length)}>
                {t("nextImage")}
              </button>
            </div>
          ) : null}
        </ModalDialog>
      ) : null}
    </>
  );
}
