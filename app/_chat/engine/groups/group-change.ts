// Group changes: the signed control messages that make and change a group. A group's state (name,
// description, members, admins) lives only on its members' devices; every change is a small JSON
// document signed with its author's account key and sent to every member device over the pairwise
// sessions. Each device checks the change against the state it holds (group-state.ts), so a member
// who is not an admin cannot add, remove or promote anyone, whatever their device sends.
import { z } from "zod";
import { withoutDirectionControls } from "@/app/_shared/isomorphic/bidi";
import { MAX_GROUP_DESCRIPTION_LENGTH, MAX_GROUP_MEMBERS, MAX_GROUP_NAME_LENGTH } from "../types";

const ZId = z.uuid();

export const ZGroupMember = z.object({ userId: ZId, admin: z.boolean() });
export type GroupMember = z.infer<typeof ZGroupMember>;

/**
 * What every member's device agrees on (or, after a race between two admins, nearly: see docs/e2ee-protocol.md).
 * Direction controls are taken out of what another device sends (a right-to-left override would
 * disguise the name, and the text after it), as this device's own changes leave them out (groups.ts).
 */
export const ZGroupDetails = z.object({
  name: z.string().overwrite(withoutDirectionControls).trim().min(1).max(MAX_GROUP_NAME_LENGTH),
  description: z.string().overwrite(withoutDirectionControls).max(MAX_GROUP_DESCRIPTION_LENGTH),
});

/**
 * A group's picture: a small JPEG made on the device (metadata-free, at most MAX_GROUP_PICTURE_BYTES),
 * as base64url. It travels inside changes, so it stays small; absent in a change's stated group
 * except where a newcomer needs it (create, add) or it changed (edit).
 */
export const MAX_GROUP_PICTURE_BYTES = 8 * 1024;
export const ZGroupPicture = z
  .string()
  .max(Math.ceil((MAX_GROUP_PICTURE_BYTES * 4) / 3))
  .regex(/^[A-Za-z0-9_-]+$/);

const ZGroupAction = z.discriminatedUnion("op", [
  /** The first change of a group: `state` is the whole group, the author its only admin. */
  z.object({ op: z.literal("create") }),
  z.object({ op: z.literal("add"), userIds: z.array(ZId).min(1).max(MAX_GROUP_MEMBERS) }),
  z.object({ op: z.literal("remove"), userId: ZId }),
  z.object({ op: z.literal("promote"), userId: ZId }),
  /** `picture`: a new picture, null to remove it, absent to keep it. */
  z.object({
    op: z.literal("edit"),
    name: ZGroupDetails.shape.name,
    description: ZGroupDetails.shape.description,
    picture: ZGroupPicture.nullable().optional(),
  }),
  /** The author leaves; `successor` becomes admin when the author was the last one. */
  z.object({ op: z.literal("leave"), successor: ZId.nullable() }),
]);
export type GroupAction = z.infer<typeof ZGroupAction>;

export const ZGroupChange = z.object({
  v: z.literal(1),
  /** Unique per change: devices apply each change once (its notice is stored under this id). */
  id: ZId,
  groupId: ZId,
  /** Who made the change: the signature must verify with this person's account key. */
  author: ZId,
  at: z.number().int().nonnegative(),
  action: ZGroupAction,
  /**
   * The group as its author sees it after the change. Members who hold the group compute the new
   * state themselves and use this only for a newcomer, who has no state to check against.
   */
  state: ZGroupDetails.extend({ members: z.array(ZGroupMember).min(1).max(MAX_GROUP_MEMBERS), picture: ZGroupPicture.nullable().optional() }),
});
export type GroupChange = z.infer<typeof ZGroupChange>;

export function encodeGroupChange(change: GroupChange): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(change));
}

/** The change, or null when the bytes are not one this version understands. */
export function decodeGroupChange(bytes: Uint8Array): GroupChange | null {
  try {
    const parsed = ZGroupChange.safeParse(JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
