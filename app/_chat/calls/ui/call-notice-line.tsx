"use client";
// A call's line in its conversation (each device stores its own: engine/calls/call-signals.ts):
// ended with its length, missed, or declined, said from this person's side. The caller is the
// notice's actor (null: this person called); a decliner its subject.
import { useFormatter, useTranslations } from "next-intl";
import { isCallNoticeKind, parseCallNoticeDetail } from "@/app/_chat/engine/calls/call-record";
import type { ConversationNotice } from "@/app/_chat/engine/types";
import { Icon } from "@/app/_shared/ui/icons";
import { formatCallDuration } from "../format-call-duration";
import { CallIcon } from "./call-icons";

export function isCallNotice(notice: ConversationNotice): boolean {
  return isCallNoticeKind(notice.kind);
}

export function CallNoticeLine({ notice }: { notice: ConversationNotice }) {
  const t = useTranslations("chat.calls.line");
  const format = useFormatter();
  const call = parseCallNoticeDetail(notice.detail);
  if (!call) return null;
  const caller = notice.actor ? notice.actor.displayName || `@${notice.actor.handle}` : null;
  const decliner = notice.subjects[0];
  const declinerName = decliner ? decliner.displayName || `@${decliner.handle}` : "";
  const kind = call.kind;
  const text =
    notice.kind === "call-ended"
      ? t("ended", { kind, duration: formatCallDuration(call.durationMs) })
      : notice.kind === "call-missed"
        ? caller === null
          ? t("noAnswer", { kind })
          : t("missed", { kind, name: caller })
        : caller === null
          ? t("declinedByThem", { kind, name: declinerName })
          : t("declinedByYou", { kind, name: caller });
  const missed = notice.kind === "call-missed" && caller !== null;
  const date = new Date(notice.at);
  return (
    <div className={missed ? "chat-notice chat-notice-warning" : "chat-notice"} data-testid="notice" data-kind={notice.kind} data-duration-ms={call.durationMs}>
      {missed ? <Icon name="warning" /> : <CallIcon name={kind === "video" ? "video" : "phone"} />}
      <p>
        {text}{" "}
        <time className="chat-notice-time" dateTime={date.toISOString()}>
          {format.dateTime(date, { timeStyle: "short" })}
        </time>
      </p>
    </div>
  );
}
