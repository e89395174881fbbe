"use client";
// The row of stories at the top of home: "Add story" first, then the viewer's own reel, then the
// reels of the people they follow (unseen ones first, as the server orders them), each ringed
// while it holds a story the viewer has not seen.
import { useSuspenseQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/app/_shared/trpc/client";
import type { StoryReel } from "@/app/_social/wire/views";
import { Avatar } from "@/app/_shared/ui/avatar";
import { useViewer } from "../shell/viewer-context";

// Loaded when first opened: home's first load carries only the bar.
const StoryComposer = dynamic(() => import("./story-composer").then((m) => m.StoryComposer), { ssr: false });
const StoryViewer = dynamic(() => import("./story-viewer").then((m) => m.StoryViewer), { ssr: false });

export function StoriesBar() {
  const t = useTranslations("stories");
  const trpc = useTRPC();
  const viewer = useViewer();
  const { data } = useSuspenseQuery(trpc.social.stories.reels.queryOptions());
  const [composing, setComposing] = useState(false);
  // The reels as they were when the viewer opened, so the order does not shift under it.
  const [watching, setWatching] = useState<{ reels: StoryReel[]; start: number } | null>(null);

  const own = data.find((reel) => reel.author.handle === viewer.handle);
  const reels = own ? [own, ...data.filter((reel) => reel !== own)] : data;

  return (
    <section className="stories-bar" aria-labelledby="stories-title">
      <h2 id="stories-title" className="sr-only">
        {t("title")}
      </h2>
      <ul className="stories-list">
        <li>
          <button type="button" className="story-tile" onClick={() => setComposing(true)}>
            <span className="story-ring is-add">
              <Avatar person={viewer} size="large" />
              <span className="story-add-badge" aria-hidden="true">
                +
              </span>
            </span>
            <span className="story-name">{t("add")}</span>
          </button>
        </li>
        {reels.map((reel, index) => {
          const unseen = reel.stories.filter((story) => !story.seen).length;
          const name = reel === own ? t("yours") : reel.author.displayName;
          return (
            <li key={reel.author.id}>
              <button
                type="button"
                className="story-tile"
                aria-label={t("openReel", { name, count: reel.stories.length, unseen })}
                onClick={() => setWatching({ reels, start: index })}
              >
                <span className={reel.allSeen ? "story-ring is-seen" : "story-ring"}>
                  <Avatar person={reel.author} size="large" />
                </span>
                <span className="story-name">{name}</span>
              </button>
            </li>
          );
        })}
      </ul>
      {composing ? <StoryComposer onClose={() => setComposing(false)} /> : null}
      {watching ? <StoryViewer reels={watching.reels} start={watching.start} onClose={() => setWatching(null)} /> : null}
    </section>
  );
}
