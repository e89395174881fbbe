"use client";
// Blocking and unblocking, shown at once: a block also ends follows both ways and hides posts.
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useDescribeError } from "@/app/_shared/ui/describe-error";
import { useToast } from "@/app/_shared/ui/toast";
import { useTRPC } from "@/app/_shared/trpc/client";
import type { ProfileData } from "./profile-data";
import { changeRelationship, useProfileCache } from "./use-profile-cache";

export function useBlock(profile: ProfileData) {
  const t = useTranslations("social");
  const trpc = useTRPC();
  const toast = useToast();
  const describeError = useDescribeError();
  const cache = useProfileCache(profile.handle);
  return useMutation(
    trpc.social.people.setBlock.mutationOptions({
      onMutate: ({ blocked }) =>
        cache.update((p) => {
          if (!blocked) return changeRelationship(p, { blocking: false });
          const wasFollowing = p.relationship?.following ?? false;
          const wasFollowedBy = p.relationship?.followedBy ?? false;
          return {
            ...changeRelationship(p, { blocking: true, following: false, followRequested: false, followedBy: false }),
            counts: { ...p.counts, followers: p.counts.followers - (wasFollowing ? 1 : 0), following: p.counts.following - (wasFollowedBy ? 1 : 0) },
          };
        }),
      onSuccess: (_result, { blocked }) => {
        toast({ message: blocked ? t("blockedToast", { handle: profile.handle }) : t("unblockedToast", { handle: profile.handle }) });
        cache.invalidateLists();
      },
      onError: (error, _input, before) => {
        cache.restore(before);
        toast({ kind: "error", message: describeError(error).form ?? t("actionFailed") });
      },
    }),
  );
}
