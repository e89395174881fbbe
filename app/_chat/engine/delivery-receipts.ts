// "Delivered" goes back to every device of a message's sender once it is stored: collected for a
// moment, then sent a few message ids per envelope (one outbox item per person and 100 ids).
export const RECEIPT_DELAY_MS = 300;
export const RECEIPT_IDS_PER_ENVELOPE = 100;

export class DeliveryReceipts {
  private readonly pending = new Map<string, string[]>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    /** Sends one receipt for `ids` to `peerUserId`'s devices. */
    private readonly send: (peerUserId: string, ids: string[]) => void,
    private readonly delayMs = RECEIPT_DELAY_MS,
  ) {}

  /** `messageId` from `userId` is stored. */
  queue(userId: string, messageId: string): void {
    this.pending.set(userId, [...(this.pending.get(userId) ?? []), messageId]);
    this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private flush(): void {
    this.timer = null;
    for (const [peerUserId, ids] of this.pending) {
      for (let i = 0; i < ids.length; i += RECEIPT_IDS_PER_ENVELOPE) this.send(peerUserId, ids.slice(i, i + RECEIPT_IDS_PER_ENVELOPE));
    }
    this.pending.clear();
  }
}
