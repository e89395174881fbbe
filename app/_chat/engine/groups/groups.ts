// Groups on this device: making and changing them (each change signed with this person's account
// key, applied here and sent pairwise to every member device, ours included), checking the changes
// others send (signed by their author, allowed by the rules in group-state.ts), and the keys that
// follow from a change: a new sender key after anyone leaves, none kept after we leave.
import { IdentityKey, signGroupChange, verifyGroupChange, type ProtocolAddress } from "../../crypto";
import { fromBase64Url, toBase64Url } from "@/app/_shared/isomorphic/base64url";
import { withoutDirectionControls } from "@/app/_shared/isomorphic/bidi";
import type { ChatContent } from "../chat-content";
import { ChatEngineError } from "../chat-engine-error";
import type { Conversations } from "../conversations";
import { knownContact } from "../device-lists";
import type { EngineContext } from "../engine-context";
import { mapLimited } from "../map-limited";
import { noticeRecord } from "../message-record";
import type { Outbox } from "../outbox";
import { KV, type ContactRecord } from "../records";
import { MAX_GROUP_DESCRIPTION_LENGTH, MAX_GROUP_MEMBERS, MAX_GROUP_NAME_LENGTH, type ChatPerson } from "../types";
import { thumbnailOf } from "../attachments/prepare-file";
import type { MediaTools } from "../attachments/media-tools";
import { decodeGroupChange, encodeGroupChange, MAX_GROUP_PICTURE_BYTES, type GroupAction, type GroupChange } from "./group-change";
import type { GroupKeys } from "./group-keys";
import { applyGroupChange, type ApplyResult, type GroupState } from "./group-state";

/** The directory's page size limit, and how many pages of people followed the picker reads (1,000 people). */
const CANDIDATE_PAGE_SIZE = 50;
const CANDIDATE_PAGES = 20;

export class Groups {
  constructor(
    private readonly ctx: EngineContext,
    private readonly conversations: Conversations,
    private readonly outbox: Outbox,
    private readonly keys: GroupKeys,
    private readonly media: MediaTools,
    /** Whether someone is not followed: a group they add this person to is a message request. */
    private readonly fromStranger: (userId: string) => Promise<boolean> = async () => false,
  ) {}

  async create(options: { name: string; description: string; memberIds: string[] }): Promise<string> {
    const me = this.ctx.me.userId;
    const details = checkedDetails(options);
    const others = [...new Set(options.memberIds)].filter((id) => id !== me);
    if (!others.length) throw new ChatEngineError("chat_group_no_members");
    if (others.length + 1 > MAX_GROUP_MEMBERS) throw new ChatEngineError("chat_group_too_many_members");
    await this.requireReachable(others);
    const groupId = crypto.randomUUID();
    const members = [{ userId: me, admin: true }, ...others.map((userId) => ({ userId, admin: false }))];
    await this.change(null, groupId, { op: "create" }, { ...details, members });
    return groupId;
  }

  async addMembers(groupId: string, userIds: string[]): Promise<void> {
    const group = this.adminOf(groupId);
    const added = [...new Set(userIds)].filter((id) => !group.members.some((m) => m.userId === id));
    if (!added.length) return;
    if (group.members.length + added.length > MAX_GROUP_MEMBERS) throw new ChatEngineError("chat_group_too_many_members");
    await this.requireReachable(added);
    await this.change(group, groupId, { op: "add", userIds: added });
  }

  async removeMember(groupId: string, userId: string): Promise<void> {
    await this.change(this.adminOf(groupId), groupId, { op: "remove", userId });
  }

  async makeAdmin(groupId: string, userId: string): Promise<void> {
    await this.change(this.adminOf(groupId), groupId, { op: "promote", userId });
  }

  /** `picture`: an image to make the group's picture from, null to remove it, absent to keep it. */
  async edit(groupId: string, details: { name: string; description: string; picture?: File | null }): Promise<void> {
    const group = this.adminOf(groupId);
    const picture = details.picture === undefined ? undefined : details.picture === null ? null : await this.pictureFrom(details.picture);
    await this.change(group, groupId, { op: "edit", ...checkedDetails(details), ...(picture !== undefined ? { picture } : {}) });
  }

  /** A small metadata-free JPEG of the image (redrawn on this device), as base64url. */
  private async pictureFrom(file: File): Promise<string> {
    const image = await this.media.decodeImage(file);
    if (!image) throw new ChatEngineError("chat_group_picture_unreadable");
    try {
      const jpeg = await thumbnailOf(image, MAX_GROUP_PICTURE_BYTES);
      if (!jpeg) throw new ChatEngineError("chat_group_picture_unreadable");
      return toBase64Url(jpeg);
    } finally {
      image.close();
    }
  }

  async leave(groupId: string): Promise<void> {
    const group = this.memberOf(groupId);
    const me = this.ctx.me.userId;
    const others = group.members.filter((m) => m.userId !== me);
    // The last admin leaving hands admin to the longest-standing member, so the group keeps one.
    const lastAdmin = group.members.some((m) => m.userId === me && m.admin) && !others.some((m) => m.admin);
    await this.change(group, groupId, { op: "leave", successor: lastAdmin ? (others[0]?.userId ?? null) : null });
  }

  /** People who may be added: those this person follows and those they have written with. */
  async candidates(): Promise<ChatPerson[]> {
    const found = new Map<string, ChatPerson>();
    let cursor: string | null = null;
    for (let page = 0; page < CANDIDATE_PAGES; page++) {
      const result: { people: ChatPerson[]; nextCursor: string | null } = await this.ctx.client.chat.directory.following.query({
        cursor,
        limit: CANDIDATE_PAGE_SIZE,
      });
      for (const person of result.people) found.set(person.userId, person);
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    for (const person of this.conversations.directPeers()) found.set(person.userId, person);
    found.delete(this.ctx.me.userId);
    return [...found.values()].sort((a, b) => a.displayName.localeCompare(b.displayName) || a.handle.localeCompare(b.handle));
  }

  /** Who a group message goes to now: its members, this person included (for their other devices); nobody once we are out. */
  members(groupId: string): string[] {
    const group = this.conversations.group(groupId);
    return group?.membership === "member" ? group.members.map((m) => m.userId) : [];
  }

  /** A change another device sent: believed only from its author, with a valid signature, and when the rules allow it. */
  async receive(sender: ProtocolAddress, content: Extract<ChatContent, { t: "group-change" }>): Promise<void> {
    const bytes = fromBase64Url(content.change);
    const change = decodeGroupChange(bytes);
    if (!change || change.author !== sender.userId) return;
    const author = await this.ctx.storage.getValue<ContactRecord>(KV.contact(sender.userId));
    if (!author || !verifyGroupChange(IdentityKey.deserialize(author.accountKey), bytes, fromBase64Url(content.signature))) return;
    if (await this.ctx.storage.getMessage(change.id)) return;
    const current = this.conversations.group(change.groupId) ?? null;
    const result = applyGroupChange(current, change, this.ctx.me.userId);
    if (result.kind === "refused") {
      // Shown, so a member who tries what only admins may is seen doing it.
      if (current?.membership === "member") {
        const notice = noticeRecord({
          id: change.id,
          conversationId: change.groupId,
          notice: "change-refused",
          at: change.at,
          actorId: change.author,
          detail: result.reason,
        });
        await this.conversations.store(notice, { unread: false });
      }
      return;
    }
    if (result.kind === "applied") await this.take(change, result);
  }

  /** Signs a change, applies it here and sends it to every member device (the removed one included, so it learns). */
  private async change(current: GroupState | null, groupId: string, action: GroupAction, stated?: GroupChange["state"]): Promise<void> {
    const me = this.ctx.me.userId;
    const draft: GroupChange = {
      v: 1,
      id: crypto.randomUUID(),
      groupId,
      author: me,
      at: this.ctx.now(),
      action,
      state: stated ?? { name: current!.name, description: current!.description, members: current!.members },
    };
    const result = applyGroupChange(current, draft, me);
    if (result.kind === "refused") throw new ChatEngineError(result.reason === "not-admin" ? "chat_group_not_admin" : "chat_group_not_member");
    if (result.kind === "ignored") return;
    // The picture rides along only where it is news: to newcomers (create, add) and when it changed (edit).
    const withPicture = action.op === "create" || action.op === "add" || action.op === "edit";
    const state = { name: result.state.name, description: result.state.description, members: result.state.members };
    const change: GroupChange = { ...draft, state: withPicture ? { ...state, picture: result.state.picture ?? null } : state };
    const bytes = encodeGroupChange(change);
    const signature = signGroupChange(this.ctx.accountKeyPair, bytes);
    await this.take(change, result);
    const recipientIds = [...new Set([...(current?.members ?? []), ...result.state.members].map((m) => m.userId).concat(me))];
    await this.outbox.enqueue({ recipientIds, content: { t: "group-change", change: toBase64Url(bytes), signature: toBase64Url(signature) } });
  }

  /** Stores an applied change: the new state, its notice, and what it means for the keys. */
  private async take(change: GroupChange, result: Extract<ApplyResult, { kind: "applied" }>): Promise<void> {
    const { state, notice } = result;
    const joined = !this.conversations.group(state.id) && state.membership === "member" && change.author !== this.ctx.me.userId;
    const request = joined && (await this.fromStranger(change.author)) ? { from: change.author } : undefined;
    await this.conversations.saveGroup(state, change.at, request);
    const record = noticeRecord({
      id: change.id,
      conversationId: change.groupId,
      notice: notice.kind,
      at: change.at,
      actorId: change.author,
      subjectIds: notice.subjects,
      detail: notice.detail,
    });
    await this.conversations.store(record, { unread: change.author !== this.ctx.me.userId });
    if (state.membership !== "member")
      await this.keys.forgetGroup(
        state.id,
        state.members.map((m) => m.userId),
      );
    else if (result.rotate) await this.keys.rotate(state.id);
  }

  private memberOf(groupId: string): GroupState {
    const group = this.conversations.group(groupId);
    if (!group || group.membership !== "member") throw new ChatEngineError("chat_group_not_member");
    return group;
  }

  private adminOf(groupId: string): GroupState {
    const group = this.memberOf(groupId);
    if (!group.members.some((m) => m.userId === this.ctx.me.userId && m.admin)) throw new ChatEngineError("chat_group_not_admin");
    return group;
  }

  /** Everyone added must have set up private messages (or no device could read the group). */
  private async requireReachable(userIds: readonly string[]): Promise<void> {
    await mapLimited(userIds, 8, (userId) => knownContact(this.ctx, userId));
  }
}

function checkedDetails(details: { name: string; description: string }): { name: string; description: string } {
  // Without direction controls: they would disguise the name for every member (app/_shared/isomorphic/bidi.ts).
  const name = withoutDirectionControls(details.name).trim();
  const description = withoutDirectionControls(details.description).trim();
  if (!name) throw new ChatEngineError("chat_group_name_required");
  if (name.length > MAX_GROUP_NAME_LENGTH || description.length > MAX_GROUP_DESCRIPTION_LENGTH) throw new ChatEngineError("chat_too_long");
  return { name, description };
}
