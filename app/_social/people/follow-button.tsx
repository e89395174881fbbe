"use client";
// Follow / Requested / Following. A followed account's button reads "Unfollow" while hovered or
// focused, so its name says what pressing it does. Changes show at once and roll back on error.
// The button is never disabled while the server answers (that would drop the keyboard focus);
// instead follows and unfollows of one account share a scope and reach the server in order.
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useDescribeError } from "@/app/_shared/ui/describe-error";
import { useToast } from "@/app/_shared/ui/toast";
import { useTRPC } from "@/app/_shared/trpc/client";
import type { ProfileData } from "./profile-data";
import { changeRelationship, useProfileCache } from "./use-profile-cache";

export function FollowButton({ profile }: { profile: ProfileData }) {
  const t = useTranslations("social");
  const trpc = useTRPC();
  const toast = useToast();
  const describeError = useDescribeError();
  const cache = useProfileCache(profile.handle);
  const r = profile.relationship;
  const fail = (error: Parameters<typeof describeError>[0], before: ProfileData | undefined) => {
    cache.restore(before);
    toast({ kind: "error", message: describeError(error).form ?? t("actionFailed") });
  };

  const scope = { id: `follow:${profile.id}` };
  const follow = useMutation(
    trpc.social.people.follow.mutationOptions({
      scope,
      onMutate: () =>
        cache.update((p) =>
          p.isProtected
            ? changeRelationship(p, { followRequested: true })
            : { ...changeRelationship(p, { following: true }), counts: { ...p.counts, followers: p.counts.followers + 1 } },
        ),
      onSuccess: ({ state }) => {
        if (state === "requested") toast({ message: t("followRequestSent", { handle: profile.handle }) });
        cache.invalidateLists();
      },
      onError: (error, _input, before) => fail(error, before),
    }),
  );
  const unfollow = useMutation(
    trpc.social.people.unfollow.mutationOptions({
      scope,
      onMutate: () =>
        cache.update((p) => ({
          ...changeRelationship(p, { following: false, followRequested: false }),
          counts: { ...p.counts, followers: Math.max(0, p.counts.followers - (p.relationship?.following ? 1 : 0)) },
        })),
      onSuccess: () => cache.invalidateLists(),
      onError: (error, _input, before) => fail(error, before),
    }),
  );
  const target = { userId: profile.id };

  if (r?.following || r?.followRequested) {
    return (
      <button type="button" className="button button-quiet button-toggle" onClick={() => unfollow.mutate(target)}>
        <span className="label-idle">{r.following ? t("following") : t("requested")}</span>
        <span className="label-active">{r.following ? t("unfollow") : t("cancelRequest")}</span>
      </button>
    );
  }
  return (
    <button type="button" className="button button-strong" onClick={() => follow.mutate(target)}>
      {r?.followedBy ? t("followBack") : t("follow")}
    </button>
  );
}
