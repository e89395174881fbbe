"use client";
// A message's actions: a menu button beside the bubble (shown on hover and whenever the message or
// the menu has focus) opening a menu of quick reactions, Reply, Edit (own messages, for 24 hours),
// Delete for everyone (own messages), Delete for me, and Report (others' messages, until reported). Keyboard: the arrow keys, Home and End
// move through the items, Escape closes and gives focus back to the button, Tab closes. Deleting
// asks first, in place.
import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { chatErrorCode } from "@/app/_chat/engine/chat-engine-error";
import { useChatCommands } from "@/app/_chat/engine/chat-engine-provider";
import { EDIT_WINDOW_MS, QUICK_REACTIONS, type ChatMessage } from "@/app/_chat/engine/types";
import { Icon } from "@/app/_shared/ui/icons";
import { useComposerMode } from "./composer-mode";

interface MessageActionsMenuProps {
  message: ChatMessage;
  /** Who wrote it, as the thread names them. */
  authorName: string;
  onError(code: string | null): void;
  /** Given when the message can be reported (someone else's, not reported yet): opens the report dialog. */
  onReport?: () => void;
}

export function MessageActionsMenu({ message, authorName, onError, onReport }: MessageActionsMenuProps) {
  const t = useTranslations("chat.actions");
  const commands = useChatCommands();
  const { setMode } = useComposerMode();
  const menuId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState<{ canEdit: boolean } | null>(null);
  const [confirming, setConfirming] = useState<"everyone" | "me" | null>(null);
  /** Whether the menu opens upwards (and so its confirmation). */
  const [up, setUp] = useState(false);

  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onPointerDown = (event: PointerEvent) => {
      if (!menu.current?.contains(event.target as Node) && !button.current?.contains(event.target as Node)) setOpen(null);
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [open]);

  /** Opens towards the side of the list with more room (a menu below the last message would be out of sight). */
  function openMenu() {
    const at = button.current?.getBoundingClientRect();
    const list = button.current?.closest(".chat-scroll")?.getBoundingClientRect();
    const up = !!at && !!list && at.top - list.top > list.bottom - at.bottom;
    setUp(up);
    setOpen({ canEdit: message.outgoing && !message.deleted && Date.now() - message.sentAt < EDIT_WINDOW_MS });
  }

  function close(focusButton = true) {
    setOpen(null);
    if (focusButton) button.current?.focus();
  }

  function run(work: () => Promise<void>) {
    onError(null);
    work().catch((error: unknown) => onError(chatErrorCode(error)));
  }

  function onMenuKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const go = (index: number) => items[(index + items.length) % items.length]?.focus();
    if (event.key === "ArrowDown" || event.key === "ArrowRight") go(at + 1);
    else if (event.key === "ArrowUp" || event.key === "ArrowLeft") go(at - 1);
    else if (event.key === "Home") go(0);
    else if (event.key === "End") go(items.length - 1);
    else if (event.key === "Escape") close();
    else if (event.key === "Tab") return setOpen(null);
    else return;
    event.preventDefault();
    event.stopPropagation();
  }

  const mine = new Set(message.reactions.filter((r) => r.mine).map((r) => r.emoji));
  return (
    <div className="chat-message-actions">
      <button
        ref={button}
        type="button"
        className="chat-menu-button"
        aria-label={t("menu")}
        title={t("menu")}
        aria-haspopup="menu"
        aria-expanded={!!open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close() : openMenu())}
        onKeyDown={(event) => {
          if (event.key !== "ArrowDown" || open) return;
          event.preventDefault();
          openMenu();
        }}
        data-testid="message-menu-button"
      >
        <Icon name="more" />
      </button>
      {open ? (
        <div
          ref={menu}
          id={menuId}
          role="menu"
          aria-label={t("menu")}
          className={up ? "chat-menu is-up" : "chat-menu"}
          onKeyDown={onMenuKeyDown}
          data-testid="message-menu"
        >
          {message.deleted ? null : (
            <div role="group" aria-label={t("reactionsLabel")} className="chat-menu-reactions">
              {QUICK_REACTIONS.map((emoji) => (
                <button
                  key={emoji}
                  type="button"
                  role="menuitem"
                  tabIndex={-1}
                  className={mine.has(emoji) ? "chat-menu-emoji is-mine" : "chat-menu-emoji"}
                  aria-label={mine.has(emoji) ? t("removeReaction", { emoji }) : t("react", { emoji })}
                  onClick={() => {
                    close();
                    run(() => commands.react(message.id, mine.has(emoji) ? null : emoji));
                  }}
                >
                  {emoji}
                </button>
              ))}
            </div>
          )}
          {message.deleted ? null : (
            <MenuItem
              icon="reply"
              label={t("reply")}
              onSelect={() => {
                close(false);
                setMode({ kind: "reply", message, authorName });
              }}
            />
          )}
          {open.canEdit ? (
            <MenuItem
              icon="feather"
              label={t("edit")}
              onSelect={() => {
                close(false);
                setMode({ kind: "edit", message });
              }}
            />
          ) : null}
          {message.outgoing && !message.deleted ? (
            <MenuItem
              icon="trash"
              label={t("deleteForEveryone")}
              danger
              onSelect={() => {
                close();
                setConfirming("everyone");
              }}
            />
          ) : null}
          <MenuItem
            icon="trash"
            label={t("deleteForMe")}
            onSelect={() => {
              close();
              setConfirming("me");
            }}
          />
          {onReport ? (
            <MenuItem
              icon="warning"
              label={t("report")}
              onSelect={() => {
                // Focus goes back to the menu button first, so the dialog returns it there when closed.
                close();
                onReport();
              }}
            />
          ) : null}
        </div>
      ) : null}
      {confirming ? (
        <ConfirmDelete
          up={up}
          question={confirming === "everyone" ? t("confirmDeleteForEveryone") : t("confirmDeleteForMe")}
          onConfirm={() => {
            setConfirming(null);
            run(() => (confirming === "everyone" ? commands.deleteForEveryone(message.id) : commands.deleteForMe(message.id)));
          }}
          onCancel={() => {
            setConfirming(null);
            button.current?.focus();
          }}
        />
      ) : null}
    </div>
  );
}

function MenuItem({
  icon,
  label,
  onSelect,
  danger = false,
}: {
  icon: "reply" | "feather" | "trash" | "warning";
  label: string;
  onSelect(): void;
  danger?: boolean;
}) {
  return (
    <button type="button" role="menuitem" tabIndex={-1} className={danger ? "chat-menu-item is-danger" : "chat-menu-item"} onClick={onSelect}>
      <Icon name={icon} />
      {label}
    </button>
  );
}

/** Asks in place before deleting; the Delete button takes focus, Escape cancels. */
function ConfirmDelete({ up, question, onConfirm, onCancel }: { up: boolean; question: string; onConfirm(): void; onCancel(): void }) {
  const t = useTranslations("chat.actions");
  const questionId = useId();
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => confirm.current?.focus(), []);
  return (
    <div
      role="alertdialog"
      aria-labelledby={questionId}
      className={up ? "chat-confirm-delete is-up" : "chat-confirm-delete"}
      onKeyDown={(event) => {
        if (event.key !== "Escape") return;
        event.stopPropagation();
        onCancel();
      }}
      data-testid="confirm-delete"
    >
      <p id={questionId}>{question}</p>
      <div className="chat-actions">
        <button ref={confirm} type="button" className="button button-danger button-small" onClick={onConfirm}>
          {t("confirmDelete")}
        </button>
        <button type="button" className="button button-quiet button-small" onClick={onCancel}>
          {t("cancel")}
        </button>
      </div>
    </div>
  );
}
