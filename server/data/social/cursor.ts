// Keyset cursors: the position (time, post id, reposter id) of the last entry a page showed.
// Opaque to clients; a malformed cursor is a client error, never a server one.
import { AppError } from "../../errors";
import { isPostgresTimestamp, UUID_PATTERN } from "../postgres-values";

export interface Position {
  at: Date;
  postId: string;
  /** The reposter for repost entries; the nil UUID for posts themselves. */
  reposterId: string;
}

export const NIL_UUID = "00000000-0000-0000-0000-000000000000";

export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify([position.at.toISOString(), position.postId, position.reposterId])).toString("base64url");
}

/** @throws AppError CURSOR_INVALID */
export function decodeCursor(cursor: string | null | undefined): Position | null {
  if (!cursor) return null;
  try {
    const [at, postId, reposterId] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    const date = new Date(String(at));
    if (!isPostgresTimestamp(date) || !UUID_PATTERN.test(String(postId)) || !UUID_PATTERN.test(String(reposterId))) throw new Error("shape");
    return { at: date, postId: String(postId), reposterId: String(reposterId) };
  } catch {
    throw new AppError("CURSOR_INVALID", "That page link is not valid; reload to start again.");
  }
}

/** A cursor that starts after everything: the first page. */
export function firstPage(): Position {
  return { at: new Date(8.64e15), postId: "ffffffff-ffff-ffff-ffff-ffffffffffff", reposterId: "ffffffff-ffff-ffff-ffff-ffffffffffff" };
}
