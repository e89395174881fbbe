import { useTranslations } from "next-intl";
import { PostSkeletons } from "./post-skeletons";

/** The server-rendered fallback while a timeline streams in (on the server's pages and inside home's client part alike). */
export function TimelineSkeleton({ count = 4 }: { count?: number }) {
  const t = useTranslations("social");
  return (
    <div aria-busy="true">
      <p className="sr-only" role="status">
        {t("loadingPosts")}
      </p>
      <PostSkeletons count={count} />
    </div>
  );
}
