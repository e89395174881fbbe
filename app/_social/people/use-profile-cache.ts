"use client";
// Optimistic changes to one profile as the viewer sees it (follow state, counts, mute, block).
import { useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_shared/trpc/client";
import type { ProfileData } from "./profile-data";
import type { Relationship } from "@/server/data/social/relationships";

export const NO_RELATIONSHIP: Relationship = { following: false, followRequested: false, followedBy: false, blocking: false, blockedBy: false, muting: false };

export function useProfileCache(handle: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const queryKey = trpc.social.people.profile.queryKey({ handle });
  return {
    /** Applies `change` and returns the profile as it was, to restore on failure. */
    async update(change: (profile: ProfileData) => ProfileData): Promise<ProfileData | undefined> {
      await queryClient.cancelQueries({ queryKey });
      const before = queryClient.getQueryData(queryKey);
      if (before) queryClient.setQueryData(queryKey, withCanSeePosts(change(before)));
      return before;
    },
    restore(before: ProfileData | undefined) {
      if (before) queryClient.setQueryData(queryKey, before);
    },
    /** After a change of relationship the lists it affects load again when next shown. */
    invalidateLists() {
      void queryClient.invalidateQueries({ queryKey });
      void queryClient.invalidateQueries({ queryKey: trpc.social.timeline.pathKey() });
    },
  };
}

export function changeRelationship(profile: ProfileData, change: Partial<Relationship>): ProfileData {
  return { ...profile, relationship: { ...(profile.relationship ?? NO_RELATIONSHIP), ...change } };
}

/** The server's rule, so an optimistic change shows or hides the posts at once. */
function withCanSeePosts(profile: ProfileData): ProfileData {
  const r = profile.relationship;
  const canSeePosts = profile.isSelf || (!r?.blocking && (!profile.isProtected || Boolean(r?.following)));
  return canSeePosts === profile.canSeePosts ? profile : { ...profile, canSeePosts };
}
