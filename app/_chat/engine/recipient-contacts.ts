// Whose devices a message (and its files) goes to: people's verified device lists, as the outbox
// seals for them and as an upload names them. A 1:1 send refreshes the lists (so a new device gets
// its copy); a group send refreshes a member's only when older than CONTACT_MAX_AGE_MS.
import { refreshContact } from "./device-lists";
import type { EngineContext } from "./engine-context";
import { mapLimited } from "./map-limited";
import { KV, type ContactRecord } from "./records";

/** A group member's device list is fetched again before a group send when older than this. */
const CONTACT_MAX_AGE_MS = 10 * 60 * 1000;
const CONTACT_FETCHES_AT_ONCE = 8;

export class RecipientContacts {
  constructor(
    private readonly ctx: EngineContext,
    /** A person's account key changed while refreshing their list. */
    private readonly identityChanged: (userId: string) => void,
  ) {}

  /** A person's current list: refreshed when `fresh`, else when older than CONTACT_MAX_AGE_MS. */
  async contactFor(userId: string, options: { fresh: boolean }): Promise<ContactRecord> {
    const { ctx } = this;
    if (!options.fresh) {
      const known = await ctx.storage.getValue<ContactRecord>(KV.contact(userId));
      if (known?.checkedAt && ctx.now() - known.checkedAt < CONTACT_MAX_AGE_MS) return known;
    }
    const { contact, changed } = await refreshContact(ctx, userId);
    if (changed) this.identityChanged(userId);
    return contact;
  }

  /** The lists of several people (a group's members), as for a group send; anyone whose list cannot be had is left out. */
  async contactsOf(userIds: readonly string[]): Promise<ContactRecord[]> {
    const contacts = await mapLimited(userIds, CONTACT_FETCHES_AT_ONCE, (userId) => this.contactFor(userId, { fresh: false }).catch(() => null));
    return contacts.filter((contact): contact is ContactRecord => contact !== null);
  }
}
