// Acknowledges like a client: whatever arrived while the previous ack was in flight goes in the
// next one (at most 100 ids a call, the API's limit). One queue per recipient device.
import type { ChatHttp } from "./chat-http";

const MAX_IDS_PER_ACK = 100;

export class Acknowledger {
  private pending = new Map<number, string[]>();
  private inFlight = new Set<number>();

  constructor(
    private readonly client: ChatHttp,
    /** The session token of the account that owns recipient device `recipient`. */
    private readonly tokenOf: (recipient: number) => string,
    private readonly onError: (message: string) => void,
  ) {}

  add(recipient: number, id: string) {
    const list = this.pending.get(recipient) ?? [];
    list.push(id);
    this.pending.set(recipient, list);
    if (!this.inFlight.has(recipient)) this.flush(recipient);
  }

  get idle(): boolean {
    return this.inFlight.size === 0 && this.pending.size === 0;
  }

  private flush(recipient: number) {
    const ids = this.pending.get(recipient);
    if (!ids?.length) return;
    this.pending.delete(recipient);
    this.inFlight.add(recipient);
    this.client
      .mutate(this.tokenOf(recipient), "chat.envelopes.ack", { ids: ids.slice(0, MAX_IDS_PER_ACK) })
      .catch((error: unknown) => this.onError((error as Error).message))
      .finally(() => {
        this.inFlight.delete(recipient);
        if (ids.length > MAX_IDS_PER_ACK) this.pending.set(recipient, [...ids.slice(MAX_IDS_PER_ACK), ...(this.pending.get(recipient) ?? [])]);
        this.flush(recipient);
      });
  }
}
