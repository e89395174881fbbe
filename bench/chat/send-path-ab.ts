/**
 * The real send path of two versions of the crypto core, side by side in one process: before/after
 * figures for a change to the core on a shared machine, where two separate runs see different load.
 *
 *   git archive <commit> app/_chat/crypto | tar -x -C /tmp/before && ln -s "$PWD/node_modules" /tmp/before/
 *   npx tsx bench/chat/send-path-ab.ts /tmp/before [--rounds 101] [--batch-size 20]
 *
 * A message is sealedEncrypt then sealedDecrypt through in-memory stores (session, sealing,
 * opening, signature check, decryption: what the chat engine does for each copy it sends and each
 * envelope it receives), at 100 B and 4 KiB. Each round times one batch of each version in turn
 * (process CPU time, µs per message); printed are the medians and the median of the per-round
 * ratios, after / before.
 */
import { resolve } from "node:path";
import type * as Random from "../../app/_chat/crypto/random";
import type * as SealedSessionCipher from "../../app/_chat/crypto/session/sealed-session-cipher";
import type * as SessionCipher from "../../app/_chat/crypto/session/session-cipher";
import type * as Sodium from "../../app/_chat/crypto/sodium";
import type * as TestDevice from "../../app/_chat/crypto/testing/test-device";

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const ROUNDS = option("rounds", 101);
const BATCH_SIZE = option("batch-size", 20);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** One message each way through the core under `root`, as a function to time. */
async function sendPath(root: string, payload: Uint8Array): Promise<() => Promise<void>> {
  const core = `${root}/app/_chat/crypto`;
  const { loadCryptoCore } = (await import(`${core}/sodium.ts`)) as typeof Sodium;
  const { systemRandom } = (await import(`${core}/random.ts`)) as typeof Random;
  const { createTestDevice } = (await import(`${core}/testing/test-device.ts`)) as typeof TestDevice;
  const { processPreKeyBundle } = (await import(`${core}/session/session-cipher.ts`)) as typeof SessionCipher;
  const { sealedDecrypt, sealedEncrypt } = (await import(`${core}/session/sealed-session-cipher.ts`)) as typeof SealedSessionCipher;
  await loadCryptoCore();
  const alice = await createTestDevice({ userId: "alice", random: systemRandom });
  const bob = await createTestDevice({ userId: "bob", random: systemRandom });
  await processPreKeyBundle({ address: bob.address, bundle: await bob.bundle(), stores: alice.stores, random: systemRandom });
  const send = async (from: typeof alice, to: typeof alice) => {
    const envelope = await sealedEncrypt({
      address: to.address,
      sender: from.address,
      plaintext: payload,
      stores: from.stores,
      random: systemRandom,
      now: Date.now(),
    });
    const received = await sealedDecrypt({ envelope, stores: to.stores, random: systemRandom, now: Date.now(), acceptSender: () => true });
    if (received.plaintext.length !== payload.length) throw new Error("round trip failed");
  };
  await send(alice, bob);
  await send(bob, alice);
  return () => send(alice, bob);
}

async function timeBatch(run: () => Promise<void>): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < BATCH_SIZE; i++) await run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / BATCH_SIZE;
}

async function main(): Promise<void> {
  const beforeRoot = process.argv[2];
  if (!beforeRoot || beforeRoot.startsWith("--")) throw new Error("usage: send-path-ab.ts <before-root> [--rounds n] [--batch-size n]");
  const os = await import("node:os");
  console.log(`send path A/B — Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}`);
  console.log(`before: ${resolve(beforeRoot)}; after: this checkout; ${ROUNDS} rounds of ${BATCH_SIZE} messages each; CPU µs per message\n`);
  for (const size of [100, 4096]) {
    const payload = new Uint8Array(size).fill(7);
    const before = await sendPath(resolve(beforeRoot), payload);
    const after = await sendPath(resolve(import.meta.dirname, "../.."), payload);
    for (let i = 0; i < 5 * BATCH_SIZE; i++) {
      await before();
      await after();
    }
    const times = { before: [] as number[], after: [] as number[], ratio: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which goes first, so that neither always runs after the other's garbage.
      let b: number;
      let a: number;
      if (round % 2 === 0) {
        b = await timeBatch(before);
        a = await timeBatch(after);
      } else {
        a = await timeBatch(after);
        b = await timeBatch(before);
      }
      times.before.push(b);
      times.after.push(a);
      times.ratio.push(a / b);
    }
    const label = size === 100 ? "100 B" : "4 KiB";
    console.log(
      `${label}: before ${median(times.before).toFixed(1)} µs, after ${median(times.after).toFixed(1)} µs, after/before ${median(times.ratio).toFixed(3)}`,
    );
  }
  console.log(`\n(load average at the end: ${os.loadavg()[0]!.toFixed(1)})`);
}

await main();
