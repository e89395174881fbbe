"use client";
// Shown instead of the composer while a conversation is a message request: who it is from, that
// they learn nothing until it is accepted, and Accept, Delete (a group: Leave) and Block. Block asks
// first. `reportAction` is the slot for a Report button (beside Block); answering a request from
// there is the reporting flow's to decide.
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useRef, useState, type ReactNode } from "react";
import { chatErrorCode } from "@/app/_chat/engine/chat-engine-error";
import { useChatCommands } from "@/app/_chat/engine/chat-engine-provider";
import type { ChatPerson } from "@/app/_chat/engine/types";
import { ConfirmDialog } from "@/app/_shared/ui/confirm-dialog";
import { Icon } from "@/app/_shared/ui/icons";
import { useChatErrorText } from "./use-chat-error-text";
import { useTakePaneFocus } from "./pane-focus";

interface RequestBarProps {
  conversationId: string;
  /** Who wrote first (1:1) or added this person (a group). */
  from: ChatPerson;
  kind: "direct" | "group";
  /** A Report button, shown beside Block. */
  reportAction?: ReactNode;
}

type Answer = "accept" | "delete" | "block";

export function RequestBar({ conversationId, from, kind, reportAction }: RequestBarProps) {
  const t = useTranslations("chat.requests");
  const commands = useChatCommands();
  const router = useRouter();
  const errorText = useChatErrorText();
  const [pending, setPending] = useState<Answer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmingBlock, setConfirmingBlock] = useState(false);
  const acceptButton = useRef<HTMLButtonElement>(null);
  useTakePaneFocus(acceptButton);
  const name = from.displayName || t("unknownSender");

  function answer(choice: Answer) {
    if (pending) return;
    setPending(choice);
    setError(null);
    const done =
      choice === "accept"
        ? commands.acceptRequest(conversationId)
        : choice === "delete"
          ? commands.deleteRequest(conversationId)
          : commands.blockRequest(conversationId);
    done.then(
      () => {
        setPending(null);
        setConfirmingBlock(false);
        // Accepted: the conversation stays, now with its composer. Deleted or blocked: it is gone.
        if (choice !== "accept") router.push("/chat/requests");
      },
      (failure: unknown) => {
        setPending(null);
        setConfirmingBlock(false);
        setError(chatErrorCode(failure));
      },
    );
  }

  return (
    <section className="chat-request-bar" aria-label={t("barLabel")} data-testid="request-bar" data-kind={kind}>
      <p className="chat-request-text" data-testid="request-explanation">
        <Icon name="message" />
        <span>{t(kind, { name, handle: from.handle })}</span>
      </p>
      {error ? (
        <p className="field-error" role="alert">
          {errorText(error)}
        </p>
      ) : null}
      <div className="chat-actions" aria-busy={pending !== null}>
        <button
          ref={acceptButton}
          type="button"
          className="button button-primary"
          onClick={() => answer("accept")}
          aria-disabled={pending !== null}
          data-testid="request-accept"
        >
          {t("accept")}
        </button>
        <button type="button" className="button button-quiet" onClick={() => answer("delete")} aria-disabled={pending !== null} data-testid="request-delete">
          {kind === "group" ? t("leave") : t("delete")}
        </button>
        <button
          type="button"
          className="button button-danger"
          onClick={() => pending === null && setConfirmingBlock(true)}
          aria-disabled={pending !== null}
          aria-haspopup="dialog"
          data-testid="request-block"
        >
          {t("block")}
        </button>
        {reportAction}
        {pending ? (
          <span className="muted" role="status">
            {t("working")}
          </span>
        ) : null}
      </div>
      <ConfirmDialog
        open={confirmingBlock}
        title={t("block")}
        confirmLabel={t("blockConfirmButton", { handle: from.handle })}
        pending={pending === "block"}
        onConfirm={() => answer("block")}
        onCancel={() => setConfirmingBlock(false)}
      >
        <p>{t("blockConfirm", { handle: from.handle })}</p>
      </ConfirmDialog>
    </section>
  );
}
