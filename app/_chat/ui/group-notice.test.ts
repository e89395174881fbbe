import { describe, expect, it } from "vitest";
import type { ChatPerson, ConversationNotice } from "@/app/_chat/engine/types";
import { describeGroupNotice, isGroupNotice, namePeople } from "./group-notice";

const person = (name: string): ChatPerson => ({ userId: `id-${name}`, handle: name.toLowerCase(), displayName: name, avatarUrl: null });
const [alice, bob, carol, dave, erin, me] = ["Alice", "Bob", "Carol", "Dave", "Erin", "Me"].map(person) as [
  ChatPerson,
  ChatPerson,
  ChatPerson,
  ChatPerson,
  ChatPerson,
  ChatPerson,
];

function notice(kind: ConversationNotice["kind"], actor: ChatPerson | null, subjects: ChatPerson[] = [], detail: string | null = null) {
  const value: ConversationNotice = { id: "n", conversationId: "g", kind, at: 0, actor, subjects, detail };
  if (!isGroupNotice(value)) throw new Error(`${kind} is no group notice`);
  return value;
}

describe("describeGroupNotice", () => {
  it("says who added whom, and “You …” for this person's own change", () => {
    expect(describeGroupNotice(notice("members-added", alice, [bob, carol]), me.userId)).toEqual({
      key: "membersAdded",
      actor: "Alice",
      subjects: { me: false, names: ["Bob", "Carol"], others: 0, count: 2 },
      name: null,
    });
    expect(describeGroupNotice(notice("members-added", null, [bob]), me.userId)).toMatchObject({ key: "membersAddedByYou", actor: null });
  });

  it("calls this person “you” among the subjects, named first", () => {
    expect(describeGroupNotice(notice("members-added", alice, [bob, me]), me.userId).subjects).toEqual({ me: true, names: ["Bob"], others: 0, count: 2 });
    expect(describeGroupNotice(notice("admin-added", alice, [me]), me.userId)).toMatchObject({
      key: "adminAdded",
      subjects: { me: true, names: [], count: 1 },
    });
  });

  it("renames with the new name; a change without one is the description's", () => {
    expect(describeGroupNotice(notice("group-renamed", alice, [], "Trip"), me.userId)).toMatchObject({ key: "renamed", actor: "Alice", name: "Trip" });
    expect(describeGroupNotice(notice("group-renamed", null, [], "Trip"), me.userId)).toMatchObject({ key: "renamedByYou", name: "Trip" });
    expect(describeGroupNotice(notice("group-renamed", alice), me.userId).key).toBe("descriptionChanged");
    expect(describeGroupNotice(notice("group-picture-changed", alice), me.userId)).toMatchObject({ key: "pictureChanged", actor: "Alice" });
    expect(describeGroupNotice(notice("group-picture-changed", null, [], "removed"), me.userId).key).toBe("pictureRemovedByYou");
  });

  it("gives a refused change its reason", () => {
    expect(describeGroupNotice(notice("change-refused", dave, [], "not-admin"), me.userId)).toMatchObject({ key: "refusedNotAdmin", actor: "Dave" });
    expect(describeGroupNotice(notice("change-refused", dave, [], "not-member"), me.userId).key).toBe("refusedNotMember");
    expect(describeGroupNotice(notice("change-refused", dave, [], "something-new"), me.userId).key).toBe("refused");
    expect(describeGroupNotice(notice("change-refused", null, [], "not-admin"), me.userId).key).toBe("refusedNotAdminYours");
  });

  it("names who left, whether the engine gives them as the actor or the subject", () => {
    expect(describeGroupNotice(notice("member-left", bob), me.userId)).toMatchObject({ key: "memberLeft", subjects: { names: ["Bob"], count: 1 } });
    expect(describeGroupNotice(notice("member-left", null, [bob]), me.userId)).toMatchObject({ key: "memberLeft", subjects: { names: ["Bob"], count: 1 } });
  });

  it("tells this person's removal apart from another's", () => {
    expect(describeGroupNotice(notice("you-were-removed", alice, [me]), me.userId)).toMatchObject({ key: "youWereRemovedBy", actor: "Alice" });
    expect(describeGroupNotice(notice("you-were-removed", null), me.userId).key).toBe("youWereRemoved");
    expect(describeGroupNotice(notice("member-removed", alice, [bob]), me.userId).key).toBe("memberRemoved");
    expect(describeGroupNotice(notice("you-left", null), me.userId).key).toBe("youLeft");
    expect(describeGroupNotice(notice("group-created", alice), me.userId).key).toBe("created");
  });

  it("is not asked about the 1:1 notices", () => {
    expect(isGroupNotice({ id: "n", conversationId: "c", kind: "identity-changed", at: 0, actor: null, subjects: [], detail: null })).toBe(false);
  });
});

describe("namePeople", () => {
  it("names up to four people in full", () => {
    expect(namePeople([alice, bob, carol, dave], me.userId)).toEqual({ me: false, names: ["Alice", "Bob", "Carol", "Dave"], others: 0, count: 4 });
  });

  it("names three of a longer list and counts the rest, this person included among the three", () => {
    expect(namePeople([alice, bob, carol, dave, erin], me.userId)).toEqual({ me: false, names: ["Alice", "Bob", "Carol"], others: 2, count: 5 });
    expect(namePeople([alice, bob, me, carol, dave], me.userId)).toEqual({ me: true, names: ["Alice", "Bob"], others: 2, count: 5 });
  });

  it("knows nobody as “you” when this person's id is unknown", () => {
    expect(namePeople([me], null)).toEqual({ me: false, names: ["Me"], others: 0, count: 1 });
  });
});
