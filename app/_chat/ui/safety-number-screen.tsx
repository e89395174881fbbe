"use client";
// /chat/@handle/safety: the number both people see for their conversation, and its QR code. The
// same digits on both screens mean nobody sits in between; the person then marks it verified.
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { chatErrorCode } from "@/app/_chat/engine/chat-engine-error";
import { useChatCommands } from "@/app/_chat/engine/chat-engine-provider";
import type { ChatPerson, DirectConversationSummary, SafetyNumberView } from "@/app/_chat/engine/types";
import { conversationHref } from "@/app/_chat/handle-segment";
import { toBase64Url } from "@/app/_shared/isomorphic/base64url";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { Icon } from "@/app/_shared/ui/icons";
import { ChatPageHeader } from "./chat-page-header";
import { GroupedCode } from "./grouped-code";
import { QrCode } from "@/app/_shared/ui/qr-code";
import { useChatErrorText } from "./use-chat-error-text";
import { useOpenedPeer } from "./use-opened-peer";

export function SafetyNumberScreen({ handle }: { handle: string }) {
  const t = useTranslations("chat");
  const errorText = useChatErrorText();
  const opened = useOpenedPeer(handle);
  const back = { href: conversationHref(handle), label: t("backToConversation", { handle }) };
  return (
    <>
      <ChatPageHeader title={t("safety.title")} subtitle={`@${handle}`} back={back} />
      <div className="chat-page-body">
        {opened.kind === "error" ? (
          <div className="chat-inline-error" role="alert">
            <p>{errorText(opened.code)}</p>
            {opened.final ? null : (
              <button type="button" className="button button-quiet button-small" onClick={opened.retry}>
                {t("tryAgain")}
              </button>
            )}
          </div>
        ) : opened.kind === "loading" ? (
          <p className="muted" aria-busy="true">
            {t("loading")}
          </p>
        ) : (
          <SafetyNumber peer={opened.peer} summary={opened.summary} />
        )}
      </div>
    </>
  );
}

function SafetyNumber({ peer, summary }: { peer: ChatPerson; summary: DirectConversationSummary | null }) {
  const t = useTranslations("chat");
  const commands = useChatCommands();
  const errorText = useChatErrorText();
  const [view, setView] = useState<SafetyNumberView | { error: string } | null>(null);
  const [verifiedHere, setVerifiedHere] = useState<boolean | null>(null);
  const [pending, setPending] = useState(false);
  const [toggleError, setToggleError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    commands.safetyNumber(peer.userId).then(
      (loaded) => current && setView(loaded),
      (error: unknown) => current && setView({ error: chatErrorCode(error) }),
    );
    return () => {
      current = false;
    };
  }, [commands, peer.userId]);

  if (!view) {
    return (
      <p className="muted" aria-busy="true">
        {t("loading")}
      </p>
    );
  }
  if ("error" in view) return <FormAlert message={errorText(view.error)} />;

  // The conversation list follows the engine; until it has this conversation, the view's answer
  // (or the toggle just made) stands.
  const verified = verifiedHere ?? summary?.verified ?? view.verified;

  function toggle() {
    if (pending) return;
    const next = !verified;
    setPending(true);
    setToggleError(null);
    commands.setVerified(peer.userId, next).then(
      () => {
        setPending(false);
        setVerifiedHere(next);
      },
      (error: unknown) => {
        setPending(false);
        setToggleError(chatErrorCode(error));
      },
    );
  }

  return (
    <div className="chat-safety" data-verified={verified}>
      <p>{t("safety.intro", { handle: peer.handle })}</p>
      <div className="chat-safety-codes">
        <GroupedCode value={view.digits} size={5} className="chat-digits chat-safety-digits" testId="safety-number" />
        <QrCode value={`hearth-sn:${toBase64Url(view.qrPayload)}`} label={t("safety.qrLabel", { handle: peer.handle })} className="chat-qr" />
      </div>
      <section className="chat-card" aria-labelledby="safety-how-title">
        <h2 id="safety-how-title">{t("safety.howTitle")}</h2>
        <ol className="chat-steps">
          <li>{t("safety.how1", { handle: peer.handle })}</li>
          <li>{t("safety.how2", { handle: peer.handle })}</li>
          <li>{t("safety.how3")}</li>
        </ol>
        <p className="muted">{t("safety.changes", { handle: peer.handle })}</p>
      </section>
      <p className={verified ? "chat-verified-state is-verified" : "chat-verified-state"} role="status" data-testid="verification-state">
        <Icon name={verified ? "verified" : "lock"} />
        {verified ? t("safety.isVerified", { handle: peer.handle }) : t("safety.notVerified", { handle: peer.handle })}
      </p>
      <FormAlert message={errorText(toggleError)} />
      <div>
        <button
          type="button"
          className={verified ? "button button-quiet" : "button button-primary"}
          onClick={toggle}
          aria-disabled={pending}
          aria-busy={pending}
          data-testid="verify-toggle"
        >
          {verified ? t("safety.clear") : t("safety.markVerified")}
        </button>
      </div>
    </div>
  );
}
