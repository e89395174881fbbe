"use client";
// "Who to follow" in the right-hand column, with a line that says honestly how the list was made:
// from the person's own follows and likes only when they allowed it, otherwise the same list for
// everyone. A personalized list is a recorded use of their data (it appears in their access log),
// so it is asked for once per visit, and only when the column is on screen at all.
import dynamic from "next/dynamic";
import { LazyQueryProvider } from "@/app/_shared/trpc/lazy-query-provider";
import { useMediaQuery } from "@/app/_shared/ui/use-media-query";

/** Where the shell shows its right-hand column (see .shell-aside in globals.css). */
const ASIDE_SHOWN = "(min-width: 1100px)";

// Its code loads only where the column shows: phones and narrow windows never fetch it.
const WhoToFollowPanel = dynamic(() => import("./who-to-follow-panel").then((m) => m.WhoToFollowPanel), { ssr: false });

export function WhoToFollow() {
  const shown = useMediaQuery(ASIDE_SHOWN);
  return shown ? (
    <LazyQueryProvider>
      <WhoToFollowPanel />
    </LazyQueryProvider>
  ) : null;
}
