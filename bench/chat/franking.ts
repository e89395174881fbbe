// What message franking costs the server per send (docs/e2ee-protocol.md, "Message franking"): the
// tag, HMAC-SHA-256 under the franking key, once per recipient account, and its seal, SHA-256 and
// ChaCha20-Poly1305, once per recipient device; for the largest group batch the server takes (2,500
// devices of 1,250 accounts). The same operations as server/data/chat/franking.ts, with Node's crypto.
// Run: npx tsx bench/chat/franking.ts
import { createCipheriv, createHash, createHmac, randomBytes, randomUUID } from "node:crypto";
import { loadavg } from "node:os";
import { FRANKING_SEAL_NONCE, frankingSealKeyInput, frankingTagInput } from "../../app/_shared/isomorphic/franking";

const DEVICES = 2_500;
const ACCOUNTS = 1_250;
const RUNS = 5;

const key = randomBytes(32);
const commitment = randomBytes(32);
const sender = randomUUID();
const accounts = Array.from({ length: ACCOUNTS }, () => randomUUID());
const devices = Array.from({ length: DEVICES }, () => randomUUID());

function bindBatch(): void {
  const tags = accounts.map((recipientId) =>
    createHmac("sha256", key)
      .update(frankingTagInput({ commitment, senderId: sender, recipientId, deliveredAt: Date.now() }))
      .digest(),
  );
  devices.forEach((deviceRowId, i) => {
    const sealKey = createHash("sha256").update(frankingSealKeyInput({ commitment, deviceRowId })).digest();
    const cipher = createCipheriv("chacha20-poly1305", sealKey, FRANKING_SEAL_NONCE, { authTagLength: 16 });
    Buffer.concat([cipher.update(tags[i % ACCOUNTS]!), cipher.final(), cipher.getAuthTag()]);
  });
}

const times: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const start = process.hrtime.bigint();
  bindBatch();
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(RUNS / 2)]!;
console.log(
  `franking a batch of ${DEVICES} envelopes to ${ACCOUNTS} accounts: median ${median.toFixed(1)} ms of ${RUNS} runs ` +
    `(${((median * 1000) / DEVICES).toFixed(1)} µs an envelope; load average ${loadavg()[0]!.toFixed(1)})`,
);
