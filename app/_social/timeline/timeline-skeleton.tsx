import { getTranslations } from "next-intl/server";
import { PostSkeletons } from "./post-skeletons";

/** The server-rendered fallback while a timeline streams in. */
export async function TimelineSkeleton({ count = 4 }: { count?: number }) {
  const t = await getTranslations("social");
  return (
    <div aria-busy="true">
      <p className="sr-only" role="status">
        {t("loadingPosts")}
      </p>
      <PostSkeletons count={count} />
    </div>
  );
}
