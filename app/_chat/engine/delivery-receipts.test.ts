// Receipts are batched per sender for a moment, at most 100 message ids per envelope.
import { describe, expect, it } from "vitest";
import { DeliveryReceipts, RECEIPT_IDS_PER_ENVELOPE } from "./delivery-receipts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("delivery receipts", () => {
  it("sends one receipt per sender after the delay, with every id queued meanwhile", async () => {
    const sent: [string, string[]][] = [];
    const receipts = new DeliveryReceipts((peer, ids) => sent.push([peer, ids]), 30);
    receipts.queue("alice", "m1");
    receipts.queue("bob", "m2");
    receipts.queue("alice", "m3");
    expect(sent).toEqual([]);
    await sleep(60);
    expect(sent).toEqual([
      ["alice", ["m1", "m3"]],
      ["bob", ["m2"]],
    ]);
    receipts.queue("alice", "m4");
    await sleep(60);
    expect(sent.at(-1)).toEqual(["alice", ["m4"]]);
  });

  it("splits long batches at 100 ids, and sends nothing once stopped", async () => {
    const sent: string[][] = [];
    const receipts = new DeliveryReceipts((_peer, ids) => sent.push(ids), 10);
    for (let i = 0; i < RECEIPT_IDS_PER_ENVELOPE + 1; i++) receipts.queue("alice", `m${i}`);
    await sleep(40);
    expect(sent.map((ids) => ids.length)).toEqual([RECEIPT_IDS_PER_ENVELOPE, 1]);
    receipts.queue("alice", "late");
    receipts.stop();
    await sleep(40);
    expect(sent).toHaveLength(2);
  });
});
