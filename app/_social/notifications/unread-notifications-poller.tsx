"use client";
// Polls the unread notifications count every 30 seconds for the navigation. It shares the tab's
// query client, so reading the notifications (which invalidates the count) updates it at once.
import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { TRPCReactProvider, useTRPC } from "@/app/_shared/trpc/client";
import { setUnreadNotifications } from "./unread-notifications";

const UNREAD_POLL_MS = 30_000;

export function UnreadNotificationsPoller() {
  return (
    <TRPCReactProvider>
      <Poll />
    </TRPCReactProvider>
  );
}

function Poll() {
  const trpc = useTRPC();
  const unread = useQuery(trpc.social.notifications.unreadCount.queryOptions(undefined, { refetchInterval: UNREAD_POLL_MS })).data ?? 0;
  useEffect(() => setUnreadNotifications(unread), [unread]);
  return null;
}
