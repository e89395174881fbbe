// The benchmark's chat accounts, written straight into the database in a few multi-row INSERTs (as
// bench/timeline/bench-readers.ts writes sessions): per account a user with a profile, a session
// (the id is the SHA-256 of the token, which goes into the cookie) and one or more registered chat
// devices (device 1, 2, …) with the rows `chat.devices.register` would write: identity key, signed
// prekey and last-resort ML-KEM prekey. The keys are random bytes of the right lengths; the server
// never parses them.
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { generateSessionToken, sessionIdFromToken } from "../../server/auth/session-token";

export interface ChatAccount {
  index: number;
  userId: string;
  handle: string;
  /** The session token, sent as the session cookie. */
  token: string;
  /** Device 1's row id: where envelopes are sent, and what the stream is opened for. */
  deviceRowId: string;
  /** Every device of the account, device 1 first (`deviceRowId` is the first one's). */
  devices: ChatAccountDevice[];
}

export interface ChatAccountDevice {
  /** The protocol's device number. */
  deviceId: number;
  rowId: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const SESSION_LABEL = "bench";
/** The crypto core's sizes: `0x06 ‖ Ed25519`, `0x05 ‖ X25519`, `0x0a ‖ ML-KEM-768`, Ed25519 signatures. */
const IDENTITY_KEY_BYTES = 33;
const X25519_KEY_BYTES = 33;
const KYBER_KEY_BYTES = 1185;
const SIGNATURE_BYTES = 64;
const LAST_RESORT_KEY_ID = 0xffff_fff0;

export async function createChatAccounts(databaseUrl: string, count: number, options: { devicesPerAccount?: number } = {}): Promise<ChatAccount[]> {
  const accounts: ChatAccount[] = Array.from({ length: count }, (_, index) => {
    const devices = Array.from({ length: options.devicesPerAccount ?? 1 }, (_, d) => ({ deviceId: d + 1, rowId: randomUUID() }));
    return {
      index,
      userId: randomUUID(),
      handle: `bench_chat_${String(index).padStart(5, "0")}`,
      token: generateSessionToken(),
      deviceRowId: devices[0]!.rowId,
      devices,
    };
  });
  const devices = accounts.flatMap((a) => a.devices.map((d) => ({ ...d, userId: a.userId })));
  const now = new Date();
  const column = <T>(pick: (a: ChatAccount) => T) => accounts.map(pick);
  const deviceColumn = <T>(pick: (d: (typeof devices)[number]) => T) => devices.map(pick);
  const bytes = (n: number) => devices.map(() => randomBytes(n));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query(
      `INSERT INTO users (id, handle, email, password_hash, display_name, created_at)
       SELECT id, handle, handle || '@bench.invalid', 'no-password', handle, $3 FROM unnest($1::uuid[], $2::text[]) AS u(id, handle)`,
      [column((a) => a.userId), column((a) => a.handle), now],
    );
    await client.query("INSERT INTO profiles (user_id) SELECT unnest($1::uuid[])", [column((a) => a.userId)]);
    await client.query(
      `INSERT INTO sessions (id, user_id, device_label, created_at, last_used_at, expires_at)
       SELECT id, user_id, $3, $4, $4, $5 FROM unnest($1::text[], $2::uuid[]) AS s(id, user_id)`,
      [column((a) => sessionIdFromToken(a.token)), column((a) => a.userId), SESSION_LABEL, now, new Date(now.getTime() + DAY_MS)],
    );
    await client.query(
      `INSERT INTO chat_devices (id, user_id, device_id, identity_key, created_at)
       SELECT id, user_id, device_id, identity_key, $5 FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::bytea[]) AS d(id, user_id, device_id, identity_key)`,
      [deviceColumn((d) => d.rowId), deviceColumn((d) => d.userId), deviceColumn((d) => d.deviceId), bytes(IDENTITY_KEY_BYTES), now],
    );
    await client.query(
      `INSERT INTO chat_signed_pre_keys (device_row_id, key_id, public_key, signature, created_at)
       SELECT device_row_id, 1, public_key, signature, $4 FROM unnest($1::uuid[], $2::bytea[], $3::bytea[]) AS k(device_row_id, public_key, signature)`,
      [deviceColumn((d) => d.rowId), bytes(X25519_KEY_BYTES), bytes(SIGNATURE_BYTES), now],
    );
    await client.query(
      `INSERT INTO chat_kyber_pre_keys (device_row_id, key_id, public_key, signature, last_resort, created_at)
       SELECT device_row_id, $4, public_key, signature, true, $5 FROM unnest($1::uuid[], $2::bytea[], $3::bytea[]) AS k(device_row_id, public_key, signature)`,
      [deviceColumn((d) => d.rowId), bytes(KYBER_KEY_BYTES), bytes(SIGNATURE_BYTES), LAST_RESORT_KEY_ID, now],
    );
    await client.query("COMMIT");
    await client.query("VACUUM (ANALYZE)");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
  return accounts;
}
