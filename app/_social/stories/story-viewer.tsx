"use client";
// Stories, one at a time, in a full-screen dialog. Each shows for five seconds (a CSS animation
// on its progress bar; its end moves on), then the next, then the next person's; after the last
// the dialog closes. It holds still while the pointer rests on the story, while a control in it
// has keyboard focus, while the "Seen by" list is open, when paused, and from the start when the
// system asks for reduced motion. Arrow keys move, Escape closes. Each story shown is marked seen.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState, type FocusEvent, type KeyboardEvent, type PointerEvent } from "react";
import { Icon } from "@/app/_shared/ui/icons";
import { ModalDialog } from "@/app/_shared/ui/modal-dialog";
import { useTRPC } from "@/app/_shared/trpc/client";
import type { StoryReel, StoryView } from "@/app/_social/wire/views";
import { Avatar } from "@/app/_shared/ui/avatar";
import { profileHref } from "../people/profile-href";
import { RelativeTime } from "@/app/_shared/ui/relative-time";
import { useViewer } from "../shell/viewer-context";

interface Position {
  reel: number;
  story: number;
  /** Counts every move, so showing the same story again restarts its timer. */
  run: number;
}

function firstUnseen(reel: StoryReel | undefined): number {
  const index = reel?.stories.findIndex((story) => !story.seen) ?? -1;
  return Math.max(0, index);
}

function prefersReducedMotion(): boolean {
  return typeof window !== "undefined" && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}

export function StoryViewer({ reels, start, onClose }: { reels: StoryReel[]; start: number; onClose: () => void }) {
  const t = useTranslations("stories");
  const viewer = useViewer();
  const [position, setPosition] = useState<Position>(() => ({ reel: start, story: firstUnseen(reels[start]), run: 0 }));
  const [userPaused, setUserPaused] = useState(prefersReducedMotion);
  const [hovering, setHovering] = useState(false);
  const [controlFocused, setControlFocused] = useState(false);
  const [seenByOpen, setSeenByOpen] = useState(false);
  const cardRef = useRef<HTMLDivElement>(null);

  const reel = reels[position.reel];
  const story = reel?.stories[position.story];
  const isOwn = reel?.author.handle === viewer.handle;
  const paused = userPaused || hovering || controlFocused || seenByOpen;
  useMarkSeen(story, isOwn);

  if (!reel || !story) return null;

  function moveTo(reelIndex: number, storyIndex: number) {
    setSeenByOpen(false);
    setPosition((p) => ({ reel: reelIndex, story: storyIndex, run: p.run + 1 }));
  }
  function next() {
    if (position.story < reel!.stories.length - 1) moveTo(position.reel, position.story + 1);
    else if (position.reel < reels.length - 1) moveTo(position.reel + 1, firstUnseen(reels[position.reel + 1]));
    else onClose();
  }
  function previous() {
    if (position.story > 0) moveTo(position.reel, position.story - 1);
    else if (position.reel > 0) moveTo(position.reel - 1, 0);
    else moveTo(position.reel, 0);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === "ArrowRight") next();
    else if (event.key === "ArrowLeft") previous();
    else return;
    event.preventDefault();
  }
  function onPointer(event: PointerEvent<HTMLDivElement>, over: boolean) {
    if (event.pointerType === "mouse") setHovering(over);
  }
  // Focus that a keyboard put on a control holds the story; a click's focus does not.
  function onFocus(event: FocusEvent<HTMLDivElement>) {
    setControlFocused(event.target !== cardRef.current && event.target.matches(":focus-visible"));
  }
  function onBlur(event: FocusEvent<HTMLDivElement>) {
    if (!event.currentTarget.contains(event.relatedTarget)) setControlFocused(false);
  }

  const title = isOwn ? t("viewerTitleOwn") : t("viewerTitle", { name: reel.author.displayName });
  return (
    <ModalDialog open onClose={onClose} title={title} className="dialog-story">
      <div className="story-viewer" onKeyDown={onKeyDown}>
        <div className="story-progress" aria-hidden="true">
          {reel.stories.map((s, index) => (
            <span key={s.id} className="story-progress-track">
              {index === position.story ? (
                <span
                  key={`${s.id}:${position.run}`}
                  className={paused ? "story-progress-fill is-current is-paused" : "story-progress-fill is-current"}
                  onAnimationEnd={next}
                />
              ) : (
                <span className={index < position.story ? "story-progress-fill is-done" : "story-progress-fill"} />
              )}
            </span>
          ))}
        </div>
        <div className="story-author">
          <Avatar person={reel.author} size="medium" />
          <Link href={profileHref(reel.author.handle)} className="story-author-name">
            {reel.author.displayName}
          </Link>
          <RelativeTime date={story.createdAt} />
          <span className="story-position" aria-live="polite">
            {t("position", { number: position.story + 1, total: reel.stories.length })}
            {paused ? <span className="story-paused">{` · ${t("paused")}`}</span> : null}
          </span>
        </div>
        <div
          ref={cardRef}
          className={story.media ? "story-card has-media" : "story-card"}
          tabIndex={-1}
          data-autofocus=""
          onPointerEnter={(event) => onPointer(event, true)}
          onPointerLeave={(event) => onPointer(event, false)}
          onFocus={onFocus}
          onBlur={onBlur}
        >
          {story.media ? (
            // eslint-disable-next-line @next/next/no-img-element -- private, session-bound media that next/image's optimiser could not fetch
            <img key={story.id} className="story-image" src={story.media.url} alt={story.media.altText} width={story.media.width} height={story.media.height} />
          ) : null}
          {story.text ? (
            <p className={story.media ? "story-caption" : "story-text"} dir="auto">
              {story.text}
            </p>
          ) : null}
        </div>
        <div className="story-controls" onFocus={onFocus} onBlur={onBlur}>
          <button type="button" className="button button-quiet" onClick={previous}>
            <Icon name="back" />
            {t("previous")}
          </button>
          <button type="button" className="button button-quiet" aria-pressed={userPaused} onClick={() => setUserPaused((p) => !p)}>
            {t("pause")}
          </button>
          <button type="button" className="button button-quiet" onClick={next}>
            {t("next")}
            <Icon name="back" className="icon-flipped" />
          </button>
        </div>
        {isOwn ? <SeenBy key={story.id} storyId={story.id} open={seenByOpen} onToggle={() => setSeenByOpen((o) => !o)} /> : null}
      </div>
    </ModalDialog>
  );
}

/** Marks each story of someone else as seen once, when it is shown, and updates the bar's rings. */
function useMarkSeen(story: StoryView | undefined, isOwn: boolean) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const marked = useRef(new Set<string>());
  const { mutate } = useMutation(
    trpc.social.stories.markSeen.mutationOptions({
      onSuccess: (_result, { id }) =>
        queryClient.setQueryData(trpc.social.stories.reels.queryKey(), (reels) =>
          reels?.map((reel) => {
            if (!reel.stories.some((s) => s.id === id && !s.seen)) return reel;
            const stories = reel.stories.map((s) => (s.id === id ? { ...s, seen: true } : s));
            return { ...reel, stories, allSeen: stories.every((s) => s.seen) };
          }),
        ),
    }),
  );
  const id = story && !story.seen && !isOwn ? story.id : null;
  useEffect(() => {
    if (!id || marked.current.has(id)) return;
    marked.current.add(id);
    mutate({ id });
  }, [id, mutate]);
}

function SeenBy({ storyId, open, onToggle }: { storyId: string; open: boolean; onToggle: () => void }) {
  const t = useTranslations("stories");
  const trpc = useTRPC();
  const listId = useId();
  const { data, isPending, isError } = useQuery(trpc.social.stories.viewers.queryOptions({ id: storyId }));
  if (isError) return <p className="story-seen-by muted">{t("seenByFailed")}</p>;
  return (
    <div className="story-seen-by">
      <button
        type="button"
        className="button button-quiet button-small"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        onClick={onToggle}
        disabled={isPending}
      >
        <Icon name="user" />
        {isPending ? t("seenByLoading") : t("seenBy", { count: data.length })}
      </button>
      {open && data ? (
        data.length > 0 ? (
          <ul id={listId} className="person-list story-viewers">
            {data.map(({ viewer, viewedAt }) => (
              <li key={viewer.id} className="person-row">
                <Avatar person={viewer} size="medium" />
                <Link href={profileHref(viewer.handle)} className="person-name">
                  <span className="post-name">{viewer.displayName}</span>
                  <span className="post-handle">@{viewer.handle}</span>
                </Link>
                <RelativeTime date={viewedAt} />
              </li>
            ))}
          </ul>
        ) : (
          <p id={listId} className="muted">
            {t("seenByNobody")}
          </p>
        )
      ) : null}
    </div>
  );
}
