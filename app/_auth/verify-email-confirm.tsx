"use client";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useEffect, useRef } from "react";
import { useDescribeError } from "@/app/_shared/ui/describe-error";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { useLeanMutation } from "@/app/_shared/trpc/lean-mutation";
import { useLinkToken } from "./link-token";

/** Confirms the address as soon as the link is opened: following it is the person's whole request. */
export function VerifyEmailConfirm() {
  const t = useTranslations("recovery");
  const token = useLinkToken();
  const describeError = useDescribeError();
  const verify = useLeanMutation("auth.verifyEmail");
  const sent = useRef(false);

  useEffect(() => {
    if (!token || sent.current) return;
    sent.current = true;
    verify.mutate({ token });
  }, [token, verify]);

  const error = token === null ? t("linkIncomplete") : describeError(verify.error).form;
  return (
    <section className="card auth-card" aria-labelledby="verify-title" aria-busy={verify.isPending || token === undefined}>
      <h1 id="verify-title">{t("verifyTitle")}</h1>
      <FormAlert message={error} />
      <p role="status">
        {verify.isSuccess ? (verify.data.changed ? t("verifiedChanged") : t("verified")) : verify.isError || token === null ? "" : t("verifying")}
      </p>
      <p className="auth-switch">
        <Link href="/settings/account">{t("toAccountSettings")}</Link>
      </p>
    </section>
  );
}
