import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { isCryptoError } from "../errors";
import { loadCryptoCore } from "../sodium";
import { createSessionPair } from "../testing/session-pair";
import { ratchetDecrypt, ratchetEncrypt } from "./double-ratchet";
import { MAX_PREVIOUS_CHAINS, SessionState, SKIPPED_KEY_MAX_STEPS } from "./session-state";

beforeAll(loadCryptoCore);

type Party = "alice" | "bob";

const NOW = Date.UTC(2027, 0, 1);
const MAX_COMMANDS = 120;

const commandArbitrary = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("send" as const), from: fc.constantFrom<Party>("alice", "bob"), size: fc.nat(300) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("deliver" as const), pick: fc.nat() }) },
  // A message and its reply, each delivered at once: a turn of the conversation (a DH ratchet step
  // on both sides), so chains grow old while other messages are still in flight.
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("roundTrip" as const), from: fc.constantFrom<Party>("alice", "bob") }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("drop" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("replay" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("persist" as const), who: fc.constantFrom<Party>("alice", "bob") }) },
);

interface InFlight {
  readonly to: Party;
  readonly bytes: Uint8Array;
  readonly plaintext: string;
}

/** The sender's ratchet public key in a message's header. */
const ratchetKeyOf = (bytes: Uint8Array) => bytesToHex(bytes.subarray(2, 34));

function refusalOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (isCryptoError(error)) return error.code;
    throw error;
  }
  return undefined;
}

describe("Double Ratchet under random interleavings (fast-check)", () => {
  it("decrypts every delivered message exactly once to its plaintext, whatever the order and losses, until its chain is too many steps old", async () => {
    let longest = 0;
    let expired = 0;
    await fc.assert(
      // size "max": the default size would keep the command lists to about ten, never near MAX_COMMANDS.
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 8 }),
        fc.array(commandArbitrary, { maxLength: MAX_COMMANDS, size: "max" }),
        async (seed, commands) => {
          longest = Math.max(longest, commands.length);
          const pair = await createSessionPair(`property/${seed}`);
          const states: Record<Party, SessionState> = { alice: pair.alice, bob: pair.bob };
          const randoms = { alice: pair.aliceRandom, bob: pair.bobRandom };
          const first = ratchetEncrypt(states.alice, utf8ToBytes("start"), randoms.alice);
          ratchetDecrypt(states.bob, first, randoms.bob, NOW);
          /** Each side's receiving chains in the order they began: a chain's age in DH ratchet steps. */
          const chains: Record<Party, string[]> = { alice: [], bob: [ratchetKeyOf(first)] };
          const stepsOld = (message: InFlight) => {
            const at = chains[message.to].indexOf(ratchetKeyOf(message.bytes));
            return at < 0 ? 0 : chains[message.to].length - 1 - at;
          };
          /** What a message that cannot be read any more fails as: its chain is remembered for MAX_PREVIOUS_CHAINS steps. */
          const refusalFor = (message: InFlight) => (stepsOld(message) > MAX_PREVIOUS_CHAINS ? "InvalidMessage" : "DuplicatedMessage");
          const refuses = (message: InFlight) => {
            const state = states[message.to];
            const before = bytesToHex(state.serialize());
            expect(refusalOf(() => ratchetDecrypt(state, message.bytes, randoms[message.to], NOW))).toBe(refusalFor(message));
            expect(bytesToHex(state.serialize())).toBe(before);
          };

          const inFlight: InFlight[] = [];
          const delivered: InFlight[] = [];
          let sent = 0;
          const send = (from: Party, size: number): InFlight => {
            const plaintext = `${from}#${sent++}:${"x".repeat(size)}`;
            const bytes = ratchetEncrypt(states[from], utf8ToBytes(plaintext), randoms[from]);
            return { to: from === "alice" ? "bob" : "alice", bytes, plaintext };
          };
          const deliver = (message: InFlight) => {
            // A skipped key lives while its chain is at most SKIPPED_KEY_MAX_STEPS steps old.
            if (stepsOld(message) > SKIPPED_KEY_MAX_STEPS) {
              refuses(message);
              expired++;
              return;
            }
            const plaintext = new TextDecoder().decode(ratchetDecrypt(states[message.to], message.bytes, randoms[message.to], NOW));
            expect(plaintext).toBe(message.plaintext);
            const key = ratchetKeyOf(message.bytes);
            if (!chains[message.to].includes(key)) chains[message.to].push(key);
            delivered.push(message);
          };
          for (const command of commands) {
            switch (command.kind) {
              case "send":
                inFlight.push(send(command.from, command.size));
                break;
              case "roundTrip":
                deliver(send(command.from, 0));
                deliver(send(command.from === "alice" ? "bob" : "alice", 0));
                break;
              case "deliver":
              case "drop": {
                if (inFlight.length === 0) break;
                const message = inFlight.splice(command.pick % inFlight.length, 1)[0]!;
                if (command.kind === "drop") break;
                deliver(message);
                break;
              }
              case "replay": {
                if (delivered.length === 0) break;
                refuses(delivered[command.pick % delivered.length]!);
                break;
              }
              case "persist":
                states[command.who] = SessionState.deserialize(states[command.who].serialize());
                break;
            }
          }
        },
      ),
      { numRuns: 100 },
    );
    // The runs reached what the test claims: command lists near their bound, and conversations
    // long enough for skipped keys to expire by ratchet steps.
    expect(longest).toBeGreaterThanOrEqual(MAX_COMMANDS * 0.8);
    expect(expired).toBeGreaterThan(0);
  });
});
