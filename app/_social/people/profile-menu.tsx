"use client";
// Mute and block for someone else's profile. Muting is quiet and reversible at once; blocking
// ends follows both ways, so it asks first.
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { ConfirmDialog } from "@/app/_shared/ui/confirm-dialog";
import { useDescribeError, type HearthClientError } from "@/app/_shared/ui/describe-error";
import { PopoverMenu } from "@/app/_shared/ui/popover-menu";
import { ReportDialog } from "@/app/_shared/ui/report-dialog";
import { useToast } from "@/app/_shared/ui/toast";
import { useTRPC } from "@/app/_shared/trpc/client";
import type { ProfileData } from "./profile-data";
import { useBlock } from "./use-block";
import { changeRelationship, useProfileCache } from "./use-profile-cache";

export function ProfileMenu({ profile }: { profile: ProfileData }) {
  const t = useTranslations("social");
  const trpc = useTRPC();
  const toast = useToast();
  const describeError = useDescribeError();
  const cache = useProfileCache(profile.handle);
  const [confirmBlock, setConfirmBlock] = useState(false);
  const [reporting, setReporting] = useState(false);
  const tr = useTranslations("report");
  const report = useMutation(trpc.social.people.report.mutationOptions());
  const block = useBlock(profile);
  const muting = profile.relationship?.muting ?? false;
  const blocking = profile.relationship?.blocking ?? false;

  const mute = useMutation(
    trpc.social.people.setMute.mutationOptions({
      onMutate: ({ muted }) => cache.update((p) => changeRelationship(p, { muting: muted })),
      onSuccess: (_result, { muted }) => {
        toast({ message: muted ? t("mutedToast", { handle: profile.handle }) : t("unmutedToast", { handle: profile.handle }) });
        cache.invalidateLists();
      },
      onError: (error, _input, before) => {
        cache.restore(before);
        toast({ kind: "error", message: describeError(error).form ?? t("actionFailed") });
      },
    }),
  );

  return (
    <>
      <PopoverMenu
        label={t("profileMenu", { handle: profile.handle })}
        buttonClassName="icon-button icon-button-bordered"
        items={[
          {
            key: "mute",
            label: muting ? t("unmute", { handle: profile.handle }) : t("mute", { handle: profile.handle }),
            icon: "mute",
            onSelect: () => mute.mutate({ userId: profile.id, muted: !muting }),
          },
          blocking
            ? {
                key: "unblock",
                label: t("unblock", { handle: profile.handle }),
                icon: "block",
                onSelect: () => block.mutate({ userId: profile.id, blocked: false }),
              }
            : { key: "block", label: t("block", { handle: profile.handle }), icon: "block", danger: true, onSelect: () => setConfirmBlock(true) },
          { key: "report", label: tr("profileTitle", { handle: profile.handle }), icon: "warning", onSelect: () => setReporting(true) },
        ]}
      />
      {reporting ? (
        <ReportDialog
          title={tr("profileTitle", { handle: profile.handle })}
          explanation={tr("profileExplanation")}
          onClose={() => setReporting(false)}
          onSubmit={async (reason, note) => {
            try {
              await report.mutateAsync({ handle: profile.handle, reason, note });
            } catch (error) {
              throw new Error(describeError(error as HearthClientError).form ?? tr("failed"));
            }
            setReporting(false);
            toast({ message: tr("sent") });
          }}
        />
      ) : null}
      {confirmBlock ? (
        <ConfirmDialog
          open
          title={t("blockConfirmTitle", { handle: profile.handle })}
          confirmLabel={t("blockConfirm")}
          onConfirm={() => {
            setConfirmBlock(false);
            block.mutate({ userId: profile.id, blocked: true });
          }}
          onCancel={() => setConfirmBlock(false)}
        >
          <p>{t("blockConfirmBody", { handle: profile.handle })}</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
