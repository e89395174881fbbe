// One ChatTab per page, whichever frame is on screen: the social site's layout and Messages' own
// each mount a ChatEngineProvider, and moving between them must not stop the engine and start it
// again (keys, sealed store, stream). A provider holds the tab; when the last one lets go and no
// other takes it within HAND_OVER_MS, it stops.
import type { ChatMe } from "../engine-context";
import type { ChatTab } from "./chat-tab";

/** Long enough for the next layout to mount after the previous one unmounted (the same commit, in practice). */
const HAND_OVER_MS = 1_000;

interface HeldTab {
  userId: string;
  tab: Promise<ChatTab>;
  holders: number;
  stopTimer: ReturnType<typeof setTimeout> | null;
}

let held: HeldTab | null = null;

/** This page's tab for `me`, started on first hold; `release` when the provider unmounts. */
export function holdChatTab(me: ChatMe): { tab: Promise<ChatTab>; release: () => void } {
  if (held && held.userId !== me.userId) {
    // Another person signed in on this page: never hand one person's engine to another.
    stop(held);
    held = null;
  }
  held ??= {
    userId: me.userId,
    tab: import("./browser-chat-tab").then(({ startBrowserChatTab }) => startBrowserChatTab({ me })),
    holders: 0,
    stopTimer: null,
  };
  const current = held;
  if (current.stopTimer) clearTimeout(current.stopTimer);
  current.stopTimer = null;
  current.holders += 1;
  let released = false;
  return {
    tab: current.tab,
    release() {
      if (released) return;
      released = true;
      current.holders -= 1;
      if (current.holders > 0) return;
      current.stopTimer = setTimeout(() => {
        if (held === current) held = null;
        stop(current);
      }, HAND_OVER_MS);
    },
  };
}

function stop(tab: HeldTab): void {
  if (tab.stopTimer) clearTimeout(tab.stopTimer);
  void tab.tab.then((running) => running.stop());
}
