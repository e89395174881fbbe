"use client";
// "New message": type a handle, or pick one of the people you follow (paged from the server's
// chat directory, which lists only people you may write to).
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { conversationHref, handleFromInput } from "@/app/_chat/handle-segment";
import { useTRPC } from "@/app/_shared/trpc/client";
import { ModalDialog } from "@/app/_shared/ui/modal-dialog";
import { TextField } from "@/app/_shared/ui/text-field";
import { Avatar } from "@/app/_shared/ui/avatar";

const PAGE_SIZE = 30;

export function NewMessageDialog({ onClose }: { onClose: () => void }) {
  const t = useTranslations("chat");
  const router = useRouter();
  const [handle, setHandle] = useState("");
  const [invalid, setInvalid] = useState(false);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const parsed = handleFromInput(handle);
    if (!parsed) {
      setInvalid(true);
      return;
    }
    router.push(conversationHref(parsed));
  }

  return (
    <ModalDialog open onClose={onClose} title={t("newMessage")} className="dialog-wide">
      <form onSubmit={onSubmit} noValidate className="chat-form chat-to-form">
        <TextField
          label={t("toLabel")}
          hint={t("toHint")}
          error={invalid ? t("toInvalid") : undefined}
          value={handle}
          onChange={(event) => {
            setHandle(event.target.value);
            setInvalid(false);
          }}
          placeholder="@"
          autoComplete="off"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          maxLength={31}
          data-autofocus=""
          data-testid="new-message-handle"
        />
        <div>
          <button type="submit" className="button button-primary">
            {t("toSubmit")}
          </button>
        </div>
      </form>
      <h3 className="chat-dialog-subtitle" id="following-title">
        {t("followingTitle")}
      </h3>
      <FollowingList />
    </ModalDialog>
  );
}

function FollowingList() {
  const t = useTranslations("chat");
  const trpc = useTRPC();
  const query = useInfiniteQuery(trpc.chat.directory.following.infiniteQueryOptions({ limit: PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor }));
  if (query.isPending) {
    return (
      <p className="muted" aria-busy="true">
        {t("loading")}
      </p>
    );
  }
  if (query.isError) {
    return (
      <div className="chat-inline-error" role="alert">
        <p>{t("followingFailed")}</p>
        <button type="button" className="button button-quiet button-small" onClick={() => void query.refetch()}>
          {t("tryAgain")}
        </button>
      </div>
    );
  }
  const people = query.data.pages.flatMap((page) => page.people);
  if (people.length === 0) return <p className="muted">{t("followingEmpty")}</p>;
  return (
    <>
      <ul className="chat-people" aria-labelledby="following-title" data-testid="following-list">
        {people.map((person) => (
          <li key={person.userId}>
            <Link href={conversationHref(person.handle)} className="chat-person-link">
              <Avatar person={person} size="medium" />
              <span className="chat-person-names">
                <span className="chat-name">{person.displayName}</span>
                <span className="chat-handle">@{person.handle}</span>
              </span>
            </Link>
          </li>
        ))}
      </ul>
      {query.hasNextPage ? (
        <button
          type="button"
          className="button button-quiet chat-more"
          onClick={() => !query.isFetchingNextPage && void query.fetchNextPage()}
          aria-disabled={query.isFetchingNextPage}
          aria-busy={query.isFetchingNextPage}
        >
          {query.isFetchingNextPage ? t("loading") : t("showMore")}
        </button>
      ) : null}
    </>
  );
}
