// What a database dump shows of the chat's rate limits: no key anyone can recompute from an
// account id (or an email, or an address) without the server's secret, and no time finer than the
// window, so the rows cannot be joined to envelopes to name a sender. The limits still hold.
import { createHash, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { enforceRateLimit, rateLimitRules } from "../../auth/rate-limits";
import { signedUpPerson, testBrowser } from "../../testing/test-browser";
import { connectTestDatabase, expectError, randomBytes, registerDevice } from "./chat-testing";

const database = connectTestDatabase();

beforeAll(() => {
  process.env.HEARTH_TEST_CLOCK = "1";
});

/** Unkeyed functions a dump reader could try on every account id, email and address they know. */
function unkeyedDerivations(subject: string): string[] {
  const digests = ["sha256", "sha1", "sha512", "md5"].flatMap((algorithm) => {
    const digest = createHash(algorithm).update(subject, "utf8").digest();
    return [digest.toString("hex"), digest.toString("base64"), digest.toString("base64url")];
  });
  return [subject, ...digests];
}

const windowSecondsByName = new Map<string, number>(Object.values(rateLimitRules).map((rule) => [rule.name, rule.windowSeconds]));

describe("rate-limit rows in a database dump", () => {
  it("name no sender: keys are a keyed MAC, windows are whole windows, and the 601st message is still refused", async () => {
    const alice = await signedUpPerson();
    const bob = await signedUpPerson();
    const bobDevice = await registerDevice(bob);
    // Mid-minute, to the millisecond, as a real request would be.
    const now = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 27_345);
    alice.browser.setHeader("x-hearth-test-now", now.toISOString());

    await alice.call((api) => api.chat.bundles.forUser({ userId: bob.id }));
    await alice.call((api) =>
      api.chat.envelopes.send({ clientMessageId: randomUUID(), envelopes: [{ deviceRowId: bobDevice.rowId, payload: randomBytes(306) }] }),
    );
    await expectError(
      testBrowser().call((api) => api.auth.logIn({ identifier: alice.email, password: "not her password" })),
      "UNAUTHORIZED",
    );

    const { rows } = await database.query<{ key: string; window_start: Date; hits: number }>("SELECT key, window_start, hits FROM rate_limit_windows");
    const forbidden = [alice.id, `bundles:${alice.id}`, alice.email, alice.handle].flatMap(unkeyedDerivations);
    for (const row of rows) {
      for (const value of forbidden) expect(row.key.includes(value), `${row.key} holds an unkeyed derivation of Alice`).toBe(false);
      const windowSeconds = windowSecondsByName.get(row.key.slice(0, row.key.lastIndexOf(":")));
      if (windowSeconds) expect(row.window_start.getTime() % (windowSeconds * 1000), row.key).toBe(0);
    }
    const { rows: envelopes } = await database.query<{ created_at: Date }>("SELECT created_at FROM chat_envelopes WHERE recipient_device_id = $1", [
      bobDevice.rowId,
    ]);
    expect(envelopes).toHaveLength(1);
    expect(rows.map((r) => r.window_start.getTime())).not.toContain(envelopes[0]!.created_at.getTime());

    // Alice has sent one message; 599 more fill her window, the next one is refused.
    const rule = rateLimitRules.messagesPerAccount;
    await Promise.all(Array.from({ length: rule.max - 1 }, () => enforceRateLimit(rule, alice.id, now)));
    await expectError(
      alice.call((api) => api.chat.envelopes.send({ clientMessageId: randomUUID(), envelopes: [{ deviceRowId: bobDevice.rowId, payload: randomBytes(306) }] })),
      "TOO_MANY_REQUESTS",
      "RATE_LIMITED",
    );
    const { rows: full } = await database.query<{ key: string; window_start: Date }>(
      "SELECT key, window_start FROM rate_limit_windows WHERE key LIKE 'messages:account:%' AND hits = $1",
      [rule.max + 1],
    );
    expect(full).toHaveLength(1);
    expect(unkeyedDerivations(alice.id).some((value) => full[0]!.key.includes(value))).toBe(false);
    expect(full[0]!.window_start.getTime() % 60_000).toBe(0);
  });
});
