"use client";
// "Sign in with a passkey": usernameless (the authenticator offers this site's passkeys), so it
// needs nothing typed. A passkey verifies the person on the device, so it skips the two-factor step.
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useLeanMutation } from "@/app/_shared/trpc/lean-mutation";
import { useDescribeError, type HearthClientError } from "@/app/_shared/ui/describe-error";
import { describePasskeyFailure } from "./passkey-ceremony";

export function PasskeyLogInButton({ onError }: { onError: (message: string | null) => void }) {
  const t = useTranslations("security");
  const tErrors = useTranslations("errors");
  const router = useRouter();
  const describeError = useDescribeError();
  const [waiting, setWaiting] = useState(false);
  const options = useLeanMutation("auth.passkeys.logInOptions");
  const logIn = useLeanMutation("auth.passkeys.logIn");

  async function onClick() {
    onError(null);
    setWaiting(true);
    try {
      // The WebAuthn helper loads on the first press: the log-in page's first load stays without it.
      const [optionsJSON, { startAuthentication }] = await Promise.all([options.mutateAsync(), import("@simplewebauthn/browser")]);
      let response;
      try {
        // JSON already; tRPC's JSON typing cannot express the PRF extension's byte inputs, which Hearth never sets.
        response = await startAuthentication({ optionsJSON: optionsJSON as PublicKeyCredentialRequestOptionsJSON });
      } catch (error) {
        const failure = describePasskeyFailure(error);
        onError(failure === "cancelled" ? t("passkeyCancelled") : failure === "unsupported" ? t("passkeysUnsupported") : tErrors("PASSKEY_INVALID"));
        return;
      }
      const { restored } = await logIn.mutateAsync({ response });
      router.replace(restored ? "/?restored=1" : "/");
      router.refresh();
    } catch (error) {
      onError(describeError(error as HearthClientError).form ?? tErrors("PASSKEY_INVALID"));
    } finally {
      setWaiting(false);
    }
  }

  return (
    <button type="button" className="button" onClick={onClick} disabled={waiting} aria-busy={waiting}>
      {waiting ? t("loggingInWithPasskey") : t("logInWithPasskey")}
    </button>
  );
}
