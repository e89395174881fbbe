// Applying a signed group change to the state a device holds: pure, so every rule is tested on
// its own. Only admins add, remove, promote and edit; anyone may leave; a change from a non-admin
// is refused (and shown). A device that holds no state for the group takes the change's stated
// group as it is, but only when it is a member of it and the author is an admin of it: that is
// how a newcomer learns the group ("trusted on first sight", like the sender of a first message).
import type { NoticeKind } from "../types";
import type { GroupChange, GroupMember } from "./group-change";
import { MAX_GROUP_MEMBERS } from "../types";

export interface GroupState {
  id: string;
  name: string;
  description: string;
  /** The group's picture (base64url JPEG); absent in records stored before groups had pictures. */
  picture?: string | null;
  /** In the order they joined; the creator first. */
  members: GroupMember[];
  membership: "member" | "removed" | "left";
}

export interface GroupNoticeFacts {
  kind: NoticeKind;
  /** Whom the change is about (added, removed, promoted). */
  subjects: string[];
  detail: string | null;
}

export type ApplyResult =
  /** `rotate`: someone stopped being a member, so this device's sender key must be replaced before it sends again. */
  | { kind: "applied"; state: GroupState; notice: GroupNoticeFacts; rotate: boolean }
  | { kind: "refused"; reason: "not-admin" | "not-member" }
  /** Nothing to do: a repeat, a change that changes nothing, or a group this device is not in. */
  | { kind: "ignored" };

const isAdmin = (state: { members: GroupMember[] }, userId: string) => state.members.some((m) => m.userId === userId && m.admin);
const isMember = (state: { members: GroupMember[] }, userId: string) => state.members.some((m) => m.userId === userId);

export function applyGroupChange(current: GroupState | null, change: GroupChange, me: string): ApplyResult {
  if (!current || current.membership !== "member") return takeStatedGroup(change, me);
  const { action, author } = change;
  if (!isMember(current, author)) return { kind: "refused", reason: "not-member" };
  const applied = (state: Partial<GroupState>, notice: GroupNoticeFacts, rotate = false): ApplyResult => ({
    kind: "applied",
    state: { ...current, ...state },
    notice,
    rotate,
  });
  if (action.op === "create") return { kind: "ignored" };
  if (action.op === "leave") {
    let members = current.members.filter((m) => m.userId !== author);
    const lastAdmin = isAdmin(current, author) && !members.some((m) => m.admin);
    if (lastAdmin && action.successor && isMember({ members }, action.successor)) {
      members = members.map((m) => (m.userId === action.successor ? { ...m, admin: true } : m));
    }
    if (author === me) return applied({ members, membership: "left" }, { kind: "you-left", subjects: [], detail: null });
    return applied({ members }, { kind: "member-left", subjects: [], detail: null }, true);
  }
  if (!isAdmin(current, author)) return { kind: "refused", reason: "not-admin" };
  switch (action.op) {
    case "add": {
      const added = [...new Set(action.userIds)].filter((id) => !isMember(current, id));
      if (!added.length || current.members.length + added.length > MAX_GROUP_MEMBERS) return { kind: "ignored" };
      return applied(
        { members: [...current.members, ...added.map((userId) => ({ userId, admin: false }))] },
        { kind: "members-added", subjects: added, detail: null },
      );
    }
    case "remove": {
      if (action.userId === author || !isMember(current, action.userId)) return { kind: "ignored" };
      const members = current.members.filter((m) => m.userId !== action.userId);
      if (action.userId === me) return applied({ members, membership: "removed" }, { kind: "you-were-removed", subjects: [], detail: null });
      return applied({ members }, { kind: "member-removed", subjects: [action.userId], detail: null }, true);
    }
    case "promote": {
      if (!isMember(current, action.userId) || isAdmin(current, action.userId)) return { kind: "ignored" };
      const members = current.members.map((m) => (m.userId === action.userId ? { ...m, admin: true } : m));
      return applied({ members }, { kind: "admin-added", subjects: [action.userId], detail: null });
    }
    case "edit": {
      const picture = action.picture === undefined ? (current.picture ?? null) : action.picture;
      const renamed = action.name !== current.name || action.description !== current.description;
      if (!renamed && picture === (current.picture ?? null)) return { kind: "ignored" };
      const notice: GroupNoticeFacts = renamed
        ? { kind: "group-renamed", subjects: [], detail: action.name !== current.name ? action.name : null }
        : { kind: "group-picture-changed", subjects: [], detail: picture === null ? "removed" : null };
      return applied({ name: action.name, description: action.description, picture }, notice);
    }
  }
}

/** A device without the group (or no longer in it) takes the stated group when it is in it and the author is its admin. */
function takeStatedGroup(change: GroupChange, me: string): ApplyResult {
  const { state, action } = change;
  if (!isMember(state, me) || !isAdmin(state, change.author)) return { kind: "ignored" };
  if (action.op !== "create" && action.op !== "add") return { kind: "ignored" };
  const members = state.members.filter((m, i) => state.members.findIndex((o) => o.userId === m.userId) === i);
  return {
    kind: "applied",
    state: { id: change.groupId, name: state.name, description: state.description, picture: state.picture ?? null, members, membership: "member" },
    notice:
      action.op === "create" ? { kind: "group-created", subjects: [], detail: state.name } : { kind: "members-added", subjects: action.userIds, detail: null },
    rotate: false,
  };
}
