"use client";
// People asking to follow the viewer's protected account. Answering removes the request at once.
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useDescribeError } from "@/app/_shared/ui/describe-error";
import { useToast } from "@/app/_shared/ui/toast";
import { useTRPC } from "@/app/_shared/trpc/client";
import { Avatar } from "@/app/_shared/ui/avatar";
import { profileHref } from "./profile-href";

export function FollowRequests({ isProtected, handle }: { isProtected: boolean; handle: string }) {
  const t = useTranslations("social");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const describeError = useDescribeError();
  const queryKey = trpc.social.people.followRequests.queryKey();
  const { data: requests } = useSuspenseQuery(trpc.social.people.followRequests.queryOptions());
  const answer = useMutation(
    trpc.social.people.answerFollowRequest.mutationOptions({
      onMutate: async ({ userId }) => {
        await queryClient.cancelQueries({ queryKey });
        const before = queryClient.getQueryData(queryKey);
        queryClient.setQueryData(queryKey, (list) => list?.filter((r) => r.requester.id !== userId));
        return before;
      },
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.social.people.profile.queryKey({ handle }) });
      },
      onError: (error, _input, before) => {
        if (before) queryClient.setQueryData(queryKey, before);
        toast({ kind: "error", message: describeError(error).form ?? t("actionFailed") });
      },
    }),
  );

  function respond(requester: { id: string; handle: string }, approve: boolean) {
    answer.mutate(
      { userId: requester.id, approve },
      {
        onSuccess: () => toast({ message: approve ? t("requestApproved", { handle: requester.handle }) : t("requestDeclined", { handle: requester.handle }) }),
      },
    );
  }

  if (!isProtected && requests.length === 0) return null;
  return (
    <section className="follow-requests" aria-labelledby="follow-requests-title">
      <h2 id="follow-requests-title" className="section-title">
        {t("followRequestsTitle", { count: requests.length })}
      </h2>
      {requests.length === 0 ? (
        <p className="empty-state-inline">{t("noFollowRequests")}</p>
      ) : (
        <ul className="person-list">
          {requests.map(({ requester }) => (
            <li key={requester.id} className="person-row">
              <Avatar person={requester} size="medium" />
              <Link href={profileHref(requester.handle)} className="person-name">
                <span className="post-name">{requester.displayName}</span>
                <span className="post-handle">@{requester.handle}</span>
              </Link>
              <div className="person-actions">
                <button
                  type="button"
                  className="button button-primary button-small"
                  aria-label={t("approveRequest", { handle: requester.handle })}
                  onClick={() => respond(requester, true)}
                >
                  {t("approve")}
                </button>
                <button
                  type="button"
                  className="button button-quiet button-small"
                  aria-label={t("declineRequest", { handle: requester.handle })}
                  onClick={() => respond(requester, false)}
                >
                  {t("decline")}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
