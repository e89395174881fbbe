// The unread notifications count the navigation shows. The navigation is part of every page's
// first load and TanStack Query is not, so the count is polled by a part loaded after first paint
// (unread-notifications-poller.tsx) and handed over here.
import { useSyncExternalStore } from "react";

let unread = 0;
const listeners = new Set<() => void>();

export function setUnreadNotifications(count: number): void {
  if (count === unread) return;
  unread = count;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useUnreadNotifications(): number {
  return useSyncExternalStore(
    subscribe,
    () => unread,
    () => 0,
  );
}
