"use client";
// The peer's account key changed since it was last acknowledged: say so on top of the
// conversation until the person has read it (OK) or gone to compare safety numbers.
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { chatErrorCode } from "@/app/_chat/engine/chat-engine-error";
import { useChatCommands } from "@/app/_chat/engine/chat-engine-provider";
import type { ChatPerson } from "@/app/_chat/engine/types";
import { safetyNumberHref } from "@/app/_chat/handle-segment";
import { Icon } from "@/app/_shared/ui/icons";
import { useChatErrorText } from "./use-chat-error-text";

export function IdentityChangedBanner({ peer }: { peer: ChatPerson }) {
  const t = useTranslations("chat");
  const commands = useChatCommands();
  const errorText = useChatErrorText();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  function acknowledge() {
    if (pending) return;
    setPending(true);
    setError(null);
    commands.acknowledgeIdentityChange(peer.userId).then(
      () => setPending(false),
      (failure: unknown) => {
        setPending(false);
        setError(chatErrorCode(failure));
      },
    );
  }
  return (
    <div className="chat-identity-banner" role="alert" data-testid="identity-banner">
      <Icon name="warning" />
      <div className="chat-identity-text">
        <p>
          <strong>{t("identityChanged", { handle: peer.handle })}</strong> {t("identityChangedExplain", { handle: peer.handle })}
        </p>
        {error ? <p className="field-error">{errorText(error)}</p> : null}
        <p className="chat-banner-actions">
          <Link href={safetyNumberHref(peer.handle)} className="button button-quiet button-small">
            {t("verifySafetyNumber")}
          </Link>
          <button type="button" className="button button-strong button-small" onClick={acknowledge} aria-disabled={pending} aria-busy={pending}>
            {t("ok")}
          </button>
        </p>
      </div>
    </div>
  );
}
