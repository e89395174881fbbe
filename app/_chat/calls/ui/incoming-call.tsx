"use client";
// One ringing call in the banner: who calls, and Accept / Decline; loaded when a call first rings.
import { useTranslations } from "next-intl";
import { useChatCommands } from "@/app/_chat/engine/chat-engine-provider";
import type { IncomingCallView } from "@/app/_chat/engine/types";
import { useChatErrorText } from "@/app/_chat/ui/use-chat-error-text";
import { useCommand } from "@/app/_chat/ui/use-command";
import { Avatar } from "@/app/_shared/ui/avatar";
import { callHref } from "../call-href";
import { CallIcon } from "./call-icons";

export function IncomingCall({ call }: { call: IncomingCallView }) {
  const t = useTranslations("chat.calls");
  const commands = useChatCommands();
  const errorText = useChatErrorText();
  const { pending, error, run } = useCommand();
  const name = call.caller.displayName || (call.caller.handle ? `@${call.caller.handle}` : t("someone"));
  const what = call.group ? t("incomingGroup", { kind: call.kind, name, group: call.group.name }) : t("incoming", { kind: call.kind, name });
  const ringing = call.state === "ringing";
  return (
    <div className="call-incoming" data-testid="incoming-call" data-state={call.state} data-kind={call.kind} role="status">
      <Avatar person={call.caller} size="medium" />
      <div className="call-incoming-text">
        <p className="call-incoming-title">{what}</p>
        {ringing ? null : <p className="muted">{call.state === "answered-elsewhere" ? t("answeredElsewhere") : t("declinedElsewhere")}</p>}
        {error ? (
          <p className="call-incoming-error" role="alert">
            {errorText(error)}
          </p>
        ) : null}
      </div>
      {ringing ? (
        <div className="call-incoming-actions">
          <button type="button" className="button call-decline" disabled={pending} onClick={() => run(() => commands.declineCall(call.callId))}>
            <CallIcon name="hangUp" />
            {t("decline")}
          </button>
          <button
            type="button"
            className="button call-accept"
            disabled={pending}
            onClick={() =>
              run(
                () => commands.acceptCall(call.callId),
                (room) => window.location.assign(callHref(room)),
              )
            }
          >
            <CallIcon name={call.kind === "video" ? "video" : "phone"} />
            {t("accept")}
          </button>
        </div>
      ) : null}
    </div>
  );
}
