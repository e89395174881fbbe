/**
 * The encryption budget, measured as it is stated (docs/architecture.md#budgets): a real sealed 1:1
 * message of Hearth — ratchet and sealed sender, encrypt and decrypt, through the session API the
 * engine calls for each copy it sends and each envelope it receives — against libsignal's unsealed
 * message (@signalapp/libsignal-client, Rust), with the bare AEAD for scale, in one run.
 *
 *   npm run bench:chat:sealed [-- --batches 60 --batch-size 40]
 *
 * The three paths run in alternating batches so that load from other processes falls on all alike;
 * the figure checked is the median over rounds of Hearth's time / libsignal's in the same round.
 * CPU time (user + system) per message, in µs. Both sides keep records serialized between
 * messages (Hearth's in-memory test stores and the libsignal stores in libsignal-pair.ts), as a
 * browser's IndexedDB and Signal's SQLite do.
 */
import { aeadDecrypt, aeadEncrypt } from "../../app/_chat/crypto/aead";
import { systemRandom } from "../../app/_chat/crypto/random";
import { sealedDecrypt, sealedEncrypt } from "../../app/_chat/crypto/session/sealed-session-cipher";
import { decryptMessage, encryptMessage, processPreKeyBundle } from "../../app/_chat/crypto/session/session-cipher";
import { loadCryptoCore } from "../../app/_chat/crypto/sodium";
import { createTestDevice } from "../../app/_chat/crypto/testing/test-device";
import { createLibsignalPair } from "./libsignal-pair";

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const BATCHES = option("batches", 60);
const BATCH_SIZE = option("batch-size", 40);
const SIZES = [100, 4096];
/** The budget: Hearth's sealed message within this many times libsignal's unsealed one. */
const BUDGET = 2;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timeBatch(run: () => Promise<void>): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < BATCH_SIZE; i++) await run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / BATCH_SIZE;
}

async function hearthSealedPair() {
  const alice = await createTestDevice({ userId: "alice", random: systemRandom });
  const bob = await createTestDevice({ userId: "bob", random: systemRandom });
  await processPreKeyBundle({ address: bob.address, bundle: await bob.bundle(), stores: alice.stores, random: systemRandom });
  const first = await encryptMessage({ address: bob.address, plaintext: new Uint8Array(1), stores: alice.stores, random: systemRandom });
  await decryptMessage({ address: alice.address, message: first, stores: bob.stores, random: systemRandom, now: Date.now() });
  const reply = await encryptMessage({ address: alice.address, plaintext: new Uint8Array(1), stores: bob.stores, random: systemRandom });
  await decryptMessage({ address: bob.address, message: reply, stores: alice.stores, random: systemRandom, now: Date.now() });
  return async (payload: Uint8Array): Promise<Uint8Array> => {
    const envelope = await sealedEncrypt({
      address: bob.address,
      sender: alice.address,
      plaintext: payload,
      stores: alice.stores,
      random: systemRandom,
      now: Date.now(),
    });
    return (await sealedDecrypt({ envelope, stores: bob.stores, random: systemRandom, now: Date.now(), acceptSender: () => true })).plaintext;
  };
}

async function main(): Promise<void> {
  await loadCryptoCore();
  const os = await import("node:os");
  const load = () => os.loadavg()[0]!.toFixed(1);
  console.log(`Sealed message vs libsignal — Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, load average ${load()}`);
  console.log(`${BATCHES} rounds of ${BATCH_SIZE} messages per path; CPU µs per message, encrypt + decrypt; medians\n`);
  const rows: string[] = [];
  let worst = 0;
  for (const size of SIZES) {
    const payload = new Uint8Array(systemRandom(size));
    const hearth = await hearthSealedPair();
    const libsignal = await createLibsignalPair();
    const key = systemRandom(32);
    const nonce = systemRandom(24);
    const ad = systemRandom(108);
    const paths = {
      floor: async () => void aeadDecrypt(key, nonce, aeadEncrypt(key, nonce, payload, ad), ad, "InvalidMessage"),
      hearth: async () => {
        if ((await hearth(payload)).length !== size) throw new Error("Hearth round trip failed");
      },
      libsignal: async () => {
        if ((await libsignal.roundTrip(payload)).length !== size) throw new Error("libsignal round trip failed");
      },
    };
    for (let i = 0; i < 200; i++) for (const run of Object.values(paths)) await run();
    const times = { floor: [] as number[], hearth: [] as number[], libsignal: [] as number[], ratio: [] as number[] };
    for (let round = 0; round < BATCHES; round++) {
      times.floor.push(await timeBatch(paths.floor));
      const h = await timeBatch(paths.hearth);
      const l = await timeBatch(paths.libsignal);
      times.hearth.push(h);
      times.libsignal.push(l);
      times.ratio.push(h / l);
    }
    const ratio = median(times.ratio);
    worst = Math.max(worst, ratio);
    const label = size === 100 ? "100 B" : "4 KiB";
    rows.push(`${label.padEnd(6)} AEAD floor (libsodium XChaCha20-Poly1305) ${median(times.floor).toFixed(1).padStart(8)} µs`);
    rows.push(`${label.padEnd(6)} libsignal, unsealed                      ${median(times.libsignal).toFixed(1).padStart(8)} µs`);
    rows.push(`${label.padEnd(6)} Hearth, sealed (the real send path)      ${median(times.hearth).toFixed(1).padStart(8)} µs   ${ratio.toFixed(2)}× libsignal`);
  }
  for (const row of rows) console.log(row);
  console.log(`\nHearth sealed / libsignal unsealed, worst size: ${worst.toFixed(2)}× (budget ≤ ${BUDGET}×: ${worst <= BUDGET ? "met" : "missed"})`);
  console.log(`(load average at the end: ${load()})`);
}

await main();
