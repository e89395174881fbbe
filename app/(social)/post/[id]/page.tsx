import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { cache } from "react";
import { getQueryClient, serverCaller, trpc } from "@/app/_shared/trpc/server";
import { HydrateClient } from "@/app/_shared/trpc/hydrate-client";
import { PublicPost } from "@/app/_social/public/public-post";
import { isUnavailable, signedIn } from "@/app/_social/require-viewer";
import "@/app/_social/public/public.css";
import { ColumnHeader } from "@/app/_social/shell/column-header";
import { ThreadView } from "@/app/_social/timeline/thread-view";
import { nextReplyCursor } from "@/app/_social/timeline/next-cursor";

interface ThreadPageProps {
  params: Promise<{ id: string }>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The thread's first page, fetched once per request (metadata and page share it); null when unavailable. */
const loadThread = cache(async (id: string) => {
  if (!UUID.test(id)) return null;
  try {
    const data = await getQueryClient().fetchInfiniteQuery(trpc.social.timeline.thread.infiniteQueryOptions({ id }, { getNextPageParam: nextReplyCursor }));
    return data.pages[0] ?? null;
  } catch (error) {
    if (isUnavailable(error)) return null;
    throw error;
  }
});

/** For logged-out visitors: the post, only if its author made their posts public. */
const loadPublicPost = cache(async (id: string) => (UUID.test(id) ? (await serverCaller()).social.public.post({ id }) : null));

export async function generateMetadata({ params }: ThreadPageProps): Promise<Metadata> {
  const t = await getTranslations("social");
  const { id } = await params;
  if (!(await signedIn())) {
    const open = await loadPublicPost(id);
    return open
      ? { title: t("threadTitleNoText", { name: open.author.displayName }), description: open.text.slice(0, 160), robots: { index: true, follow: true } }
      : {};
  }
  const thread = await loadThread(id);
  if (!thread) return { title: (await getTranslations("app"))("notFoundTitle") };
  const { author, text } = thread.post;
  const excerpt = text.length > 60 ? `${text.slice(0, 59)}…` : text;
  return { title: excerpt ? t("threadTitle", { name: author.displayName, text: excerpt }) : t("threadTitleNoText", { name: author.displayName }) };
}

export default async function ThreadPage({ params }: ThreadPageProps) {
  const { id } = await params;
  if (!(await signedIn())) {
    const open = await loadPublicPost(id);
    if (!open) redirect("/login");
    return (
      <div className="public-page">
        <PublicPost post={open} large />
      </div>
    );
  }
  const thread = await loadThread(id);
  if (!thread) notFound();
  const t = await getTranslations("social");
  return (
    <>
      <ColumnHeader title={t("threadHeading")} back />
      <HydrateClient>
        <ThreadView id={id} />
      </HydrateClient>
    </>
  );
}
