"use client";
// The author's own menu on a post: edit (within the hour), pin to or unpin from the profile,
// delete (after confirmation; the post then leaves every list on screen).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useTranslations } from "next-intl";
import { useRef, useState } from "react";
import { useDescribeError } from "@/app/_shared/ui/describe-error";
import { PopoverMenu, type MenuItem } from "@/app/_shared/ui/popover-menu";
import { useToast } from "@/app/_shared/ui/toast";
import { useTRPC } from "@/app/_shared/trpc/client";
import type { PostView } from "@/app/_social/wire/views";
import { useViewer } from "../shell/viewer-context";
import { usePostCache } from "./use-post-cache";

// Loaded when first opened: a timeline's first load carries only the menu.
const EditPostDialog = dynamic(() => import("./edit-post-dialog").then((m) => m.EditPostDialog), { ssr: false });
const ConfirmDialog = dynamic(() => import("@/app/_shared/ui/confirm-dialog").then((m) => m.ConfirmDialog), { ssr: false });

export function PostAuthorMenu({ post, onDeleted }: { post: PostView; onDeleted?: () => void }) {
  const t = useTranslations("social");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const cache = usePostCache();
  const toast = useToast();
  const describeError = useDescribeError();
  const viewer = useViewer();
  const [dialog, setDialog] = useState<"edit" | "delete" | null>(null);
  const anchor = useRef<HTMLSpanElement>(null);
  const profileKey = trpc.social.people.profile.queryKey({ handle: viewer.handle });
  // Whether this post is pinned is known from the profile, when it has been loaded.
  const profile = useQuery({ ...trpc.social.people.profile.queryOptions({ handle: viewer.handle }), enabled: false });
  const pinned = profile.data?.pinnedPostId === post.id;

  const remove = useMutation(
    trpc.social.posts.delete.mutationOptions({
      onSuccess: () => {
        setDialog(null);
        cache.remove(post.id);
        void queryClient.invalidateQueries({ queryKey: profileKey });
        toast({ message: t("postDeleted") });
        onDeleted?.();
      },
      onError: (error) => toast({ kind: "error", message: describeError(error).form ?? t("actionFailed") }),
    }),
  );
  const pin = useMutation(
    trpc.social.people.updateProfile.mutationOptions({
      onSuccess: (_result, { pinnedPostId }) => {
        void queryClient.invalidateQueries({ queryKey: profileKey });
        void queryClient.invalidateQueries({ queryKey: trpc.social.posts.get.pathKey() });
        toast({ message: pinnedPostId ? t("pinned") : t("unpinned") });
      },
      onError: (error) => toast({ kind: "error", message: describeError(error).form ?? t("actionFailed") }),
    }),
  );

  const items: MenuItem[] = [];
  if (post.viewer.canEdit) items.push({ key: "edit", label: t("editPost"), icon: "feather", onSelect: () => setDialog("edit") });
  items.push(
    pinned
      ? { key: "unpin", label: t("unpinFromProfile"), icon: "pin", onSelect: () => pin.mutate({ pinnedPostId: null }) }
      : { key: "pin", label: t("pinToProfile"), icon: "pin", onSelect: () => pin.mutate({ pinnedPostId: post.id }) },
  );
  items.push({ key: "delete", label: t("deletePost"), icon: "trash", danger: true, onSelect: () => setDialog("delete") });

  return (
    <>
      <span ref={anchor} className="post-menu">
        <PopoverMenu label={t("postMenu")} items={items} />
      </span>
      {dialog === "edit" ? <EditPostDialog post={post} open onClose={() => setDialog(null)} /> : null}
      {dialog === "delete" ? (
        <ConfirmDialog
          open
          title={t("deleteConfirmTitle")}
          confirmLabel={t("deletePost")}
          pending={remove.isPending}
          onConfirm={() => {
            const next = neighbourOf(anchor.current, post.id);
            remove.mutate(
              { id: post.id },
              {
                // The post and its menu are gone: keep the keyboard user in the list, not at the top.
                onSuccess: () => requestAnimationFrame(() => (next?.isConnected ? next : document.getElementById("main"))?.focus()),
              },
            );
          }}
          onCancel={() => setDialog(null)}
        >
          <p>{t("deleteConfirmBody")}</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

/** The post after (or else before) the one holding `element`, skipping other copies of it. */
function neighbourOf(element: Element | null, postId: string): HTMLElement | null {
  const article = element?.closest("article");
  const all = Array.from(document.querySelectorAll<HTMLElement>("main article[data-post-id]"));
  const index = article ? all.indexOf(article as HTMLElement) : -1;
  if (index < 0) return null;
  const other = (a: HTMLElement) => a.dataset.postId !== postId;
  return all.slice(index + 1).find(other) ?? all.slice(0, index).reverse().find(other) ?? null;
}
