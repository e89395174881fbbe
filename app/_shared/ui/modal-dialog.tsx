"use client";
// A modal built on the native <dialog>: showModal() makes the rest of the page inert and keeps
// focus inside, Escape closes it, and closing returns focus to whatever opened it. Children are
// rendered only while open; a child marked data-autofocus receives the initial focus. Parents may
// also mount it already open and unmount it to close it.
import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, type MouseEvent, type PointerEvent, type ReactNode } from "react";
import { Icon } from "./icons";

interface ModalDialogProps {
  open: boolean;
  onClose: () => void;
  title: string;
  className?: string;
  children: ReactNode;
}

export function ModalDialog({ open, onClose, title, className, children }: ModalDialogProps) {
  const t = useTranslations("nav");
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement;
      dialog.showModal();
      // React does not render the autofocus attribute, so the dialog would focus its first
      // control (Close); children mark the control that should start with focus instead.
      dialog.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  // Parents often unmount a dialog instead of closing it; focus must still go back.
  useEffect(() => {
    const saved = opener;
    return () => {
      const target = saved.current;
      if (target instanceof HTMLElement) requestAnimationFrame(() => target.isConnected && target.focus());
    };
  }, []);

  function onDialogClose() {
    onClose();
    const target = opener.current;
    opener.current = null;
    // The close event comes a moment after the dialog shuts; if the person has already moved
    // focus elsewhere (say, pressed "/" for search), leave it there.
    const active = document.activeElement;
    const focusIsLost = !active || active === document.body || Boolean(ref.current?.contains(active));
    if (focusIsLost && target instanceof HTMLElement && target.isConnected) target.focus();
  }

  // A press that starts and ends on the <dialog> itself is on the backdrop (the content fills
  // the box); one that starts inside, say while selecting text, must not close it.
  const pressedBackdrop = useRef(false);
  function onPointerDown(event: PointerEvent<HTMLDialogElement>) {
    pressedBackdrop.current = event.target === event.currentTarget;
  }
  function onClick(event: MouseEvent<HTMLDialogElement>) {
    if (pressedBackdrop.current && event.target === event.currentTarget) ref.current?.close();
    pressedBackdrop.current = false;
  }

  return (
    <dialog
      ref={ref}
      className={className ? `dialog ${className}` : "dialog"}
      aria-labelledby={titleId}
      onClose={onDialogClose}
      onPointerDown={onPointerDown}
      onClick={onClick}
    >
      {open ? (
        <div className="dialog-inner">
          <div className="dialog-header">
            <h2 id={titleId} className="dialog-title">
              {title}
            </h2>
            <button type="button" className="icon-button dialog-close" aria-label={t("close")} onClick={() => ref.current?.close()}>
              <Icon name="close" />
            </button>
          </div>
          {children}
        </div>
      ) : null}
    </dialog>
  );
}
