import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { cache } from "react";
import { getQueryClient, HydrateClient, trpc } from "@/app/_shared/trpc/server";
import { isUnavailable, requireViewer } from "@/app/_social/require-viewer";
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

export async function generateMetadata({ params }: ThreadPageProps): Promise<Metadata> {
  const t = await getTranslations("social");
  const thread = await loadThread((await params).id);
  if (!thread) return { title: (await getTranslations("app"))("notFoundTitle") };
  const { author, text } = thread.post;
  const excerpt = text.length > 60 ? `${text.slice(0, 59)}…` : text;
  return { title: excerpt ? t("threadTitle", { name: author.displayName, text: excerpt }) : t("threadTitleNoText", { name: author.displayName }) };
}

export default async function ThreadPage({ params }: ThreadPageProps) {
  await requireViewer();
  const { id } = await params;
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
