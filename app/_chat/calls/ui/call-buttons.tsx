"use client";
// The voice and video call buttons of a conversation's header. A call page opens with a full page
// load (only such a document may use the camera and microphone). Without a LiveKit server the
// buttons stay, disabled, saying why.
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useId } from "react";
import { useChatCommands } from "@/app/_chat/engine/chat-engine-provider";
import type { CallKind } from "@/app/_chat/engine/types";
import { useChatErrorText } from "@/app/_chat/ui/use-chat-error-text";
import { useCommand } from "@/app/_chat/ui/use-command";
import { TRPCReactProvider, useTRPC } from "@/app/_shared/trpc/client";
import { callHref } from "../call-href";
import { CallIcon } from "./call-icons";
import "./calls.css";

/** `conversationId`: the peer's user id or the group id; `unavailable`: e.g. no longer a member of the group. */
export function CallButtons(props: { conversationId: string; unavailable?: boolean }) {
  // Messages' frame leaves TanStack Query out (its pages run on the chat engine); this part brings it.
  return (
    <TRPCReactProvider>
      <CallButtonsWithQuery {...props} />
    </TRPCReactProvider>
  );
}

function CallButtonsWithQuery({ conversationId, unavailable = false }: { conversationId: string; unavailable?: boolean }) {
  const t = useTranslations("chat.calls");
  const trpc = useTRPC();
  const configured = useQuery(trpc.calls.configured.queryOptions(undefined, { staleTime: 5 * 60_000 }));
  const commands = useChatCommands();
  const errorText = useChatErrorText();
  const { pending, error, run } = useCommand();
  const reasonId = useId();
  const off = configured.data?.configured === false;
  const disabled = off || unavailable || pending || !configured.data;
  const start = (kind: CallKind) =>
    run(
      () => commands.startCall(conversationId, kind),
      (room) => window.location.assign(callHref(room)),
    );
  const button = (kind: CallKind) => {
    const label = kind === "video" ? t("videoCall") : t("voiceCall");
    return (
      <button
        type="button"
        className="icon-button"
        aria-label={label}
        aria-describedby={off ? reasonId : undefined}
        title={off ? t("notConfigured") : label}
        disabled={disabled}
        onClick={() => start(kind)}
        data-testid={`${kind}-call-button`}
      >
        <CallIcon name={kind === "video" ? "video" : "phone"} />
      </button>
    );
  };
  return (
    <span className="call-buttons">
      {button("audio")}
      {button("video")}
      {off ? (
        <span id={reasonId} className="sr-only">
          {t("notConfigured")}
        </span>
      ) : null}
      {error ? (
        <span role="alert" className="sr-only">
          {errorText(error)}
        </span>
      ) : null}
    </span>
  );
}
