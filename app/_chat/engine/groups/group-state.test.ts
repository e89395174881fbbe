// The rules every device applies to a signed group change, before anything is stored.
import { describe, expect, it } from "vitest";
import type { GroupAction, GroupChange } from "./group-change";
import { applyGroupChange, type GroupState } from "./group-state";

const [ALICE, BOB, CAROL, DAVE] = ["a", "b", "c", "d"].map((c) => `00000000-0000-4000-8000-00000000000${c}`) as [string, string, string, string];
const GROUP = "00000000-0000-4000-8000-0000000000ff";

const state: GroupState = {
  id: GROUP,
  name: "Trip",
  description: "",
  members: [
    { userId: ALICE, admin: true },
    { userId: BOB, admin: false },
    { userId: CAROL, admin: false },
  ],
  membership: "member",
};

function change(
  author: string,
  action: GroupAction,
  stated: GroupChange["state"] = { name: state.name, description: "", members: state.members },
): GroupChange {
  return { v: 1, id: crypto.randomUUID(), groupId: GROUP, author, at: 1, action, state: stated };
}

describe("applying group changes", () => {
  it("lets an admin add, remove, promote and rename", () => {
    const added = applyGroupChange(state, change(ALICE, { op: "add", userIds: [DAVE, BOB] }), BOB);
    expect(added).toMatchObject({ kind: "applied", notice: { kind: "members-added", subjects: [DAVE] }, rotate: false });
    const removed = applyGroupChange(state, change(ALICE, { op: "remove", userId: CAROL }), BOB);
    expect(removed).toMatchObject({ kind: "applied", notice: { kind: "member-removed", subjects: [CAROL] }, rotate: true });
    expect(removed.kind === "applied" && removed.state.members.map((m) => m.userId)).toEqual([ALICE, BOB]);
    expect(applyGroupChange(state, change(ALICE, { op: "promote", userId: BOB }), CAROL)).toMatchObject({ notice: { kind: "admin-added", subjects: [BOB] } });
    expect(applyGroupChange(state, change(ALICE, { op: "edit", name: "Hike", description: "Sunday" }), BOB)).toMatchObject({
      state: { name: "Hike", description: "Sunday" },
      notice: { kind: "group-renamed", detail: "Hike" },
    });
    // Only the picture changed: its own notice; null takes it away; absent keeps it.
    const pictured = applyGroupChange(state, change(ALICE, { op: "edit", name: "Trip", description: "", picture: "AAAA" }), BOB);
    expect(pictured).toMatchObject({ state: { picture: "AAAA" }, notice: { kind: "group-picture-changed", detail: null } });
    const withPicture = { ...state, picture: "AAAA" };
    expect(applyGroupChange(withPicture, change(ALICE, { op: "edit", name: "Trip", description: "", picture: null }), BOB)).toMatchObject({
      state: { picture: null },
      notice: { kind: "group-picture-changed", detail: "removed" },
    });
    expect(applyGroupChange(withPicture, change(ALICE, { op: "edit", name: "Trip", description: "" }), BOB)).toEqual({ kind: "ignored" });
    expect(applyGroupChange(withPicture, change(BOB, { op: "edit", name: "Trip", description: "", picture: null }), CAROL)).toEqual({
      kind: "refused",
      reason: "not-admin",
    });
    // Only the description changed: no new name to show.
    expect(applyGroupChange(state, change(ALICE, { op: "edit", name: "Trip", description: "Sunday" }), BOB)).toMatchObject({
      notice: { kind: "group-renamed", detail: null },
    });
  });

  it("refuses every admin action from a member who is not an admin, and any change from a non-member", () => {
    for (const action of [
      { op: "add", userIds: [DAVE] },
      { op: "remove", userId: CAROL },
      { op: "promote", userId: BOB },
      { op: "edit", name: "Mine now", description: "" },
    ] satisfies GroupAction[]) {
      expect(applyGroupChange(state, change(BOB, action), CAROL)).toEqual({ kind: "refused", reason: "not-admin" });
    }
    expect(applyGroupChange(state, change(DAVE, { op: "leave", successor: null }), ALICE)).toEqual({ kind: "refused", reason: "not-member" });
  });

  it("marks this device removed when it is the one removed, and left when its person leaves", () => {
    expect(applyGroupChange(state, change(ALICE, { op: "remove", userId: CAROL }), CAROL)).toMatchObject({
      state: { membership: "removed" },
      notice: { kind: "you-were-removed" },
    });
    expect(applyGroupChange(state, change(BOB, { op: "leave", successor: null }), BOB)).toMatchObject({
      state: { membership: "left" },
      notice: { kind: "you-left" },
    });
  });

  it("hands admin to the successor when the last admin leaves, and to no one else", () => {
    const result = applyGroupChange(state, change(ALICE, { op: "leave", successor: CAROL }), BOB);
    expect(result.kind === "applied" && result.state.members).toEqual([
      { userId: BOB, admin: false },
      { userId: CAROL, admin: true },
    ]);
    const notLast = applyGroupChange(
      { ...state, members: state.members.map((m) => ({ ...m, admin: m.userId !== CAROL })) },
      change(ALICE, { op: "leave", successor: CAROL }),
      BOB,
    );
    expect(notLast.kind === "applied" && notLast.state.members.find((m) => m.userId === CAROL)!.admin).toBe(false);
  });

  it("takes a stated group only when this person is in it and the author is its admin", () => {
    const stated = { name: "Trip", description: "", members: [...state.members, { userId: DAVE, admin: false }] };
    expect(applyGroupChange(null, change(ALICE, { op: "add", userIds: [DAVE] }, stated), DAVE)).toMatchObject({
      kind: "applied",
      state: { membership: "member", members: stated.members },
    });
    // Bob claims to be an admin of a group he is making up: the stated group says he is not one.
    const fake = {
      name: "Fake",
      description: "",
      members: [
        { userId: BOB, admin: false },
        { userId: DAVE, admin: false },
      ],
    };
    expect(applyGroupChange(null, change(BOB, { op: "create" }, fake), DAVE)).toEqual({ kind: "ignored" });
    expect(applyGroupChange(null, change(ALICE, { op: "create" }), DAVE)).toEqual({ kind: "ignored" });
    expect(applyGroupChange(null, change(ALICE, { op: "edit", name: "x", description: "" }), BOB)).toEqual({ kind: "ignored" });
  });
});
