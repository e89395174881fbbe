"use client";
// The parts a message gains from what happened to it after sending: the message it quotes, its
// reactions, its edits and who has read it.
import { useFormatter, useTranslations } from "next-intl";
import { chatErrorCode } from "@/app/_chat/engine/chat-engine-error";
import { useChatCommands } from "@/app/_chat/engine/chat-engine-provider";
import type { ChatMessage, QuoteView } from "@/app/_chat/engine/types";
import { Icon } from "@/app/_shared/ui/icons";

/** The quoted message: a button that brings it into view (when this device has it). */
export function QuoteBlock({ quote, onJump }: { quote: QuoteView; onJump(id: string): void }) {
  const t = useTranslations("chat");
  const name = quote.author ? quote.author.displayName : t("you");
  const files = quote.attachments > 0 ? t("previewFiles", { count: quote.attachments }) : "";
  const snippet =
    quote.status === "deleted"
      ? t("actions.quoteDeleted")
      : quote.status === "missing"
        ? t("actions.quoteMissing")
        : quote.body && files
          ? t("previewBodyWithFiles", { body: quote.body, files })
          : quote.body || files;
  const content = (
    <>
      {quote.status === "missing" ? null : <span className="chat-quote-author">{name}</span>}
      <span className={quote.status === "shown" ? "chat-quote-body" : "chat-quote-body is-gone"} dir="auto">
        {snippet}
      </span>
    </>
  );
  if (quote.status === "missing")
    return (
      <div className="chat-quote" data-testid="message-quote" data-status={quote.status}>
        {content}
      </div>
    );
  return (
    <button
      type="button"
      className="chat-quote"
      onClick={() => onJump(quote.id)}
      aria-label={`${t("actions.showOriginal", { name })}: ${snippet}`}
      data-testid="message-quote"
      data-status={quote.status}
    >
      {content}
    </button>
  );
}

/** Reactions grouped by emoji with their counts; one's own is pressed (pressing takes it back), another adds one's own. */
export function ReactionsRow({ message, onError }: { message: ChatMessage; onError(code: string): void }) {
  const t = useTranslations("chat");
  const format = useFormatter();
  const commands = useChatCommands();
  if (!message.reactions.length) return null;
  return (
    <ul className="chat-reactions" aria-label={t("actions.reactionsLabel")} data-testid="message-reactions">
      {message.reactions.map((reaction) => {
        const names = format.list(
          reaction.people.map((p) => (p ? p.displayName || `@${p.handle}` : t("you"))),
          { type: "conjunction" },
        );
        const count = reaction.people.length;
        return (
          <li key={reaction.emoji}>
            <button
              type="button"
              className={reaction.mine ? "chat-reaction is-mine" : "chat-reaction"}
              aria-pressed={reaction.mine}
              title={t("actions.reaction", { emoji: reaction.emoji, count, names })}
              aria-label={`${t("actions.reaction", { emoji: reaction.emoji, count, names })}. ${
                reaction.mine ? t("actions.removeReaction", { emoji: reaction.emoji }) : t("actions.reactLike", { emoji: reaction.emoji })
              }`}
              onClick={() => commands.react(message.id, reaction.mine ? null : reaction.emoji).catch((error: unknown) => onError(chatErrorCode(error)))}
              data-testid="reaction"
              data-emoji={reaction.emoji}
              data-count={count}
            >
              <span aria-hidden="true">{reaction.emoji}</span>
              <span aria-hidden="true">{count}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

/** "edited", opening the earlier versions with when each was written. */
export function EditedMark({ message }: { message: ChatMessage }) {
  const t = useTranslations("chat.actions");
  const format = useFormatter();
  if (!message.edits.length) return null;
  return (
    <details className="chat-edited" data-testid="message-edited">
      <summary>{t("edited")}</summary>
      <div className="chat-edit-history">
        <p className="chat-edit-history-title">{t("editHistory")}</p>
        <ol>
          {message.edits.map((edit) => (
            <li key={edit.at}>
              <time dateTime={new Date(edit.at).toISOString()}>{format.dateTime(new Date(edit.at), { dateStyle: "short", timeStyle: "short" })}</time>
              <span dir="auto">{edit.body}</span>
            </li>
          ))}
        </ol>
      </div>
    </details>
  );
}

/** Our own message, read: "Read" (1:1) or "Read by 2 of 3" (group). */
export function ReadMark({ read }: { read: { count: number; total: number } }) {
  const t = useTranslations("chat.receipts");
  const label = read.total === 1 ? t("read") : t("readBy", { count: read.count, total: read.total });
  return (
    <span className="chat-read" data-testid="read-state" data-count={read.count} data-total={read.total}>
      <Icon name="checks" />
      {label}
    </span>
  );
}
