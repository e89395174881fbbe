import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { toHex, utf8 } from "../bytes";
import { isCryptoError } from "../errors";
import { loadCryptoCore } from "../sodium";
import { createSessionPair } from "../testing/session-pair";
import { ratchetDecrypt, ratchetEncrypt } from "./double-ratchet";
import { SessionState } from "./session-state";

beforeAll(loadCryptoCore);

type Party = "alice" | "bob";

const commandArbitrary = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("send" as const), from: fc.constantFrom<Party>("alice", "bob"), size: fc.nat(300) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("deliver" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("drop" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("replay" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("persist" as const), who: fc.constantFrom<Party>("alice", "bob") }) },
);

interface InFlight {
  readonly to: Party;
  readonly bytes: Uint8Array;
  readonly plaintext: string;
}

describe("Double Ratchet under random interleavings (fast-check)", () => {
  it("decrypts every delivered message exactly once to its plaintext, whatever the order and losses", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 8 }), fc.array(commandArbitrary, { maxLength: 120 }), async (seed, commands) => {
        const pair = await createSessionPair(`property/${seed}`);
        const states: Record<Party, SessionState> = { alice: pair.alice, bob: pair.bob };
        const randoms = { alice: pair.aliceRandom, bob: pair.bobRandom };
        const first = ratchetEncrypt(states.alice, utf8("start"), randoms.alice);
        ratchetDecrypt(states.bob, first, randoms.bob);

        const inFlight: InFlight[] = [];
        const delivered: InFlight[] = [];
        let sent = 0;
        for (const command of commands) {
          switch (command.kind) {
            case "send": {
              const plaintext = `${command.from}#${sent++}:${"x".repeat(command.size)}`;
              const bytes = ratchetEncrypt(states[command.from], utf8(plaintext), randoms[command.from]);
              inFlight.push({ to: command.from === "alice" ? "bob" : "alice", bytes, plaintext });
              break;
            }
            case "deliver":
            case "drop": {
              if (inFlight.length === 0) break;
              const [message] = inFlight.splice(command.pick % inFlight.length, 1);
              if (command.kind === "drop") break;
              const plaintext = new TextDecoder().decode(ratchetDecrypt(states[message!.to], message!.bytes, randoms[message!.to]));
              expect(plaintext).toBe(message!.plaintext);
              delivered.push(message!);
              break;
            }
            case "replay": {
              if (delivered.length === 0) break;
              const message = delivered[command.pick % delivered.length]!;
              const before = toHex(states[message.to].serialize());
              let error: unknown;
              try {
                ratchetDecrypt(states[message.to], message.bytes, randoms[message.to]);
              } catch (caught) {
                error = caught;
              }
              expect(isCryptoError(error, "DuplicatedMessage")).toBe(true);
              expect(toHex(states[message.to].serialize())).toBe(before);
              break;
            }
            case "persist":
              states[command.who] = SessionState.deserialize(states[command.who].serialize());
              break;
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
