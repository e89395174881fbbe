/**
 * All sessions with one address: the current one, and a few earlier ones (a new handshake
 * archives the old session, whose messages may still be in flight).
 *
 * Serialized: 0x01 ‖ has current u8 ‖ [length u32 ‖ state] ‖ archived count u8 ‖
 * (length u32 ‖ state)*, most recent first.
 */
import { ByteReader, ByteWriter, bytesEqual } from "../bytes";
import { CryptoError } from "../errors";
import { SessionState } from "../ratchet/session-state";

export const SESSION_RECORD_VERSION = 1;
export const MAX_ARCHIVED_SESSIONS = 5;
const MAX_STATE_BYTES = 1 << 20;

export class SessionRecord {
  constructor(
    public current: SessionState | null = null,
    public archived: SessionState[] = [],
  ) {}

  /** Makes `state` the current session, archiving the one it replaces. */
  promote(state: SessionState): void {
    if (state === this.current) return;
    this.archived = this.archived.filter((archived) => archived !== state);
    if (this.current) this.archived.unshift(this.current);
    this.archived.length = Math.min(this.archived.length, MAX_ARCHIVED_SESSIONS);
    this.current = state;
  }

  /** The session that a handshake with this base key created, if it is still kept. */
  findByBaseKey(baseKey: Uint8Array): SessionState | undefined {
    return this.states().find((state) => bytesEqual(state.baseKey, baseKey));
  }

  /** Current first, then archived, most recent first. */
  states(): SessionState[] {
    return this.current ? [this.current, ...this.archived] : [...this.archived];
  }

  serialize(): Uint8Array {
    const writer = new ByteWriter(1024).u8(SESSION_RECORD_VERSION);
    if (this.current) writer.u8(1).lengthPrefixed(this.current.serialize());
    else writer.u8(0);
    writer.u8(this.archived.length);
    for (const state of this.archived) writer.lengthPrefixed(state.serialize());
    return writer.finish();
  }

  /** @throws {CryptoError} `InvalidSessionRecord` on any malformation; `UnsupportedVersion`. */
  static deserialize(bytes: Uint8Array): SessionRecord {
    const reader = new ByteReader(bytes, "InvalidSessionRecord");
    reader.version(SESSION_RECORD_VERSION);
    const current = reader.flag() ? SessionState.deserialize(reader.lengthPrefixed(MAX_STATE_BYTES)) : null;
    const count = reader.u8();
    if (count > MAX_ARCHIVED_SESSIONS) throw new CryptoError("InvalidSessionRecord", "too many archived sessions");
    const archived: SessionState[] = [];
    for (let i = 0; i < count; i++) archived.push(SessionState.deserialize(reader.lengthPrefixed(MAX_STATE_BYTES)));
    reader.end();
    return new SessionRecord(current, archived);
  }
}
