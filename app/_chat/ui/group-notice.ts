// What a group notice says, before translation: which sentence (a key under "chat.groupNotice"),
// who made the change and whom it is about. A change made by this person reads "You …" (its own
// key, since other languages conjugate differently); this person among the subjects reads "you".
// Long lists name a few people and count the rest.
import type { CallNoticeKind, ChatPerson, ConversationNotice } from "@/app/_chat/engine/types";

/** Lists of up to this many people are named in full; longer ones name three and count the rest. */
const NAMED_IN_FULL = 4;
const NAMED_OF_MANY = 3;

export interface NamedPeople {
  /** This person is among them (said first, as "you"). */
  me: boolean;
  /** Display names of the others who are named. */
  names: string[];
  /** How many more there are, not named. */
  others: number;
  /** Everyone, this person included. */
  count: number;
}

export interface GroupNoticeDescription {
  key: GroupNoticeKey;
  /** Who made the change; null when it was this person (the key then says "You …"). */
  actor: string | null;
  subjects: NamedPeople;
  /** The group's new name (renamed). */
  name: string | null;
}

export type GroupNoticeKey =
  | "created"
  | "createdByYou"
  | "membersAdded"
  | "membersAddedByYou"
  | "memberRemoved"
  | "memberRemovedByYou"
  | "memberLeft"
  | "adminAdded"
  | "adminAddedByYou"
  | "renamed"
  | "renamedByYou"
  | "descriptionChanged"
  | "descriptionChangedByYou"
  | "pictureChanged"
  | "pictureChangedByYou"
  | "pictureRemoved"
  | "pictureRemovedByYou"
  | "youWereRemoved"
  | "youWereRemovedBy"
  | "youLeft"
  | "refusedNotAdmin"
  | "refusedNotAdminYours"
  | "refusedNotMember"
  | "refusedNotMemberYours"
  | "refused"
  | "refusedYours";

export type GroupNoticeKind = Exclude<ConversationNotice["kind"], "identity-changed" | "verified" | "unverified" | "timer-changed" | CallNoticeKind>;

export function isGroupNotice(notice: ConversationNotice): notice is ConversationNotice & { kind: GroupNoticeKind } {
  // Call lines (app/_chat/calls/ui/call-notice-line.tsx) are not changes to the group.
  return (
    notice.kind !== "identity-changed" &&
    notice.kind !== "verified" &&
    notice.kind !== "unverified" &&
    notice.kind !== "timer-changed" &&
    !notice.kind.startsWith("call-")
  );
}

/** `myUserId`: this person's user id when known (null after leaving: then nobody reads as "you"). */
export function describeGroupNotice(notice: ConversationNotice & { kind: GroupNoticeKind }, myUserId: string | null): GroupNoticeDescription {
  const actor = notice.actor?.displayName ?? null;
  const subjects = namePeople(notice.subjects, myUserId);
  const byYou = actor === null;
  const describe = (key: GroupNoticeKey, name: string | null = null): GroupNoticeDescription => ({ key, actor, subjects, name });
  switch (notice.kind) {
    case "group-created":
      return describe(byYou ? "createdByYou" : "created");
    case "members-added":
      return describe(byYou ? "membersAddedByYou" : "membersAdded");
    case "member-removed":
      return describe(byYou ? "memberRemovedByYou" : "memberRemoved");
    case "member-left":
      // The one who left made the change; an engine that names them as the subject reads the same.
      return { key: "memberLeft", actor, subjects: notice.actor ? namePeople([notice.actor], myUserId) : subjects, name: null };
    case "admin-added":
      return describe(byYou ? "adminAddedByYou" : "adminAdded");
    case "group-renamed":
      if (notice.detail === null) return describe(byYou ? "descriptionChangedByYou" : "descriptionChanged");
      return describe(byYou ? "renamedByYou" : "renamed", notice.detail);
    case "group-picture-changed":
      if (notice.detail === "removed") return describe(byYou ? "pictureRemovedByYou" : "pictureRemoved");
      return describe(byYou ? "pictureChangedByYou" : "pictureChanged");
    case "you-were-removed":
      return describe(byYou ? "youWereRemoved" : "youWereRemovedBy");
    case "you-left":
      return describe("youLeft");
    case "change-refused":
      if (notice.detail === "not-admin") return describe(byYou ? "refusedNotAdminYours" : "refusedNotAdmin");
      if (notice.detail === "not-member") return describe(byYou ? "refusedNotMemberYours" : "refusedNotMember");
      return describe(byYou ? "refusedYours" : "refused");
  }
}

export function namePeople(people: readonly ChatPerson[], myUserId: string | null): NamedPeople {
  const me = myUserId !== null && people.some((person) => person.userId === myUserId);
  const others = people.filter((person) => person.userId !== myUserId).map((person) => person.displayName);
  const count = others.length + (me ? 1 : 0);
  const named = count <= NAMED_IN_FULL ? others.length : Math.max(0, NAMED_OF_MANY - (me ? 1 : 0));
  return { me, names: others.slice(0, named), others: others.length - named, count };
}
