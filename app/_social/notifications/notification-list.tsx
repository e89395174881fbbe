"use client";
// The notifications page's list, newest first. What was unread on arrival stays highlighted for
// the whole visit, so the reader can see what is new; the server hears it was read once the page
// has been in view for a few seconds (not merely opened in a background tab), and the navigation
// badge follows at once. "Mark all as read" also clears the highlights.
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useEffectEvent, useState } from "react";
import { Icon } from "@/app/_shared/ui/icons";
import { useDescribeError } from "@/app/_shared/ui/describe-error";
import { useToast } from "@/app/_shared/ui/toast";
import { useTRPC } from "@/app/_shared/trpc/client";
import { NotificationItem } from "./notification-item";

/** How long the page must be in view before its notifications count as read. */
const AUTO_READ_MS = 3000;
const LIST_POLL_MS = 30_000;

export function NotificationList() {
  const t = useTranslations("notifications");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const describeError = useDescribeError();
  const listKey = trpc.social.notifications.list.queryKey();
  const list = useSuspenseQuery(trpc.social.notifications.list.queryOptions(undefined, { refetchInterval: LIST_POLL_MS }));
  const groups = list.data;
  const [kept, setKept] = useState<ReadonlySet<string>>(() => new Set(groups.filter((g) => g.unread).map((g) => g.key)));
  const [announcement, setAnnouncement] = useState("");
  const hasUnread = groups.some((g) => g.unread);
  const highlighted = (g: (typeof groups)[number]) => g.unread || kept.has(g.key);
  const anyHighlighted = groups.some(highlighted);

  const markRead = useMutation(
    trpc.social.notifications.markAllRead.mutationOptions({
      onMutate: async () => {
        await queryClient.cancelQueries({ queryKey: listKey });
        queryClient.setQueryData(listKey, (all) => all?.map((g) => (g.unread ? { ...g, unread: false } : g)));
        queryClient.setQueryData(trpc.social.notifications.unreadCount.queryKey(), 0);
      },
      onSettled: () => void queryClient.invalidateQueries({ queryKey: trpc.social.notifications.unreadCount.queryKey() }),
      onError: (error) => {
        void queryClient.invalidateQueries({ queryKey: listKey });
        toast({ kind: "error", message: describeError(error).form ?? t("markFailed") });
      },
    }),
  );

  const markSeenOnes = useEffectEvent(() => {
    setKept((before) => new Set([...before, ...groups.filter((g) => g.unread).map((g) => g.key)]));
    markRead.mutate();
  });

  useEffect(() => {
    if (!hasUnread) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      if (document.visibilityState === "visible") timer = setTimeout(markSeenOnes, AUTO_READ_MS);
    };
    arm();
    document.addEventListener("visibilitychange", arm);
    return () => {
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", arm);
    };
  }, [hasUnread]);

  function markAllRead() {
    if (!anyHighlighted) return;
    setKept(new Set());
    setAnnouncement(t("allMarked"));
    if (hasUnread) markRead.mutate();
  }

  if (groups.length === 0) {
    return (
      <div className="empty-state-block">
        <Icon name="bell" className="empty-state-icon" />
        <h2>{t("emptyTitle")}</h2>
        <p className="muted">{t("emptyBody")}</p>
      </div>
    );
  }

  return (
    <>
      <div className="notifications-toolbar">
        <p className="muted">{anyHighlighted ? t("newCount", { count: groups.filter(highlighted).length }) : t("noneNew")}</p>
        {/* aria-disabled rather than disabled: pressing it must not drop the keyboard focus. */}
        <button type="button" className="button button-quiet button-small" aria-disabled={!anyHighlighted} onClick={markAllRead}>
          <Icon name="check" />
          {t("markAllRead")}
        </button>
        <p role="status" className="sr-only">
          {announcement}
        </p>
      </div>
      <ol className="notification-list" aria-label={t("listLabel")}>
        {groups.map((group) => (
          <NotificationItem key={group.key} group={group} highlighted={highlighted(group)} fetchedAt={list.dataUpdatedAt} />
        ))}
      </ol>
    </>
  );
}
