// GET | PUT | DELETE /api/chat/backup/{recovery-key|passphrase}: the signed-in account's sealed
// chat backup of that kind, as raw bytes. A thin edge over server/data/chat/backups.ts; the server
// never reads the blob. The route pipeline refuses PUT and DELETE from other origins and reads the
// body within MAX_BACKUP_BYTES, as long as declared, so a cut-off upload is never stored.
import { enforceRateLimit, rateLimitRules } from "@/server/auth/rate-limits";
import { type BackupKind, deleteBackup, MAX_BACKUP_BYTES, MAX_BACKUP_VERSION, readBackup, writeBackup } from "@/server/data/chat/backups";
import { AppError } from "@/server/errors";
import { routeHandler } from "@/server/http/route-handler";

const purpose = "core.messaging";
const VERSION_HEADER = "x-backup-version";
const KIND_OF_SEGMENT = new Map<string, BackupKind>([
  ["recovery-key", "recovery_key"],
  ["passphrase", "passphrase"],
]);
const NO_STORE = { "Cache-Control": "no-store" };

export const GET = routeHandler({ auth: "required", sameOrigin: true, params: ["kind"] }, async ({ actor, params }) => {
  const backup = await readBackup({ actor, purpose, kind: kindOf(params.kind) });
  if (!backup) throw new AppError("NOT_FOUND", "No backup of this kind is stored.");
  return new Response(new Uint8Array(backup.blob), {
    headers: {
      ...NO_STORE,
      "Content-Type": "application/octet-stream",
      "Content-Length": String(backup.blob.byteLength),
      "X-Backup-Version": String(backup.version),
      "X-Content-Type-Options": "nosniff",
    },
  });
});

export const PUT = routeHandler(
  { auth: "required", sameOrigin: true, params: ["kind"], bodyLimit: MAX_BACKUP_BYTES },
  async ({ request, actor, params, readBody }) => {
    const kind = kindOf(params.kind);
    const version = parseVersion(request.headers.get(VERSION_HEADER));
    if (version === null) throw new AppError("REQUEST_INVALID", `${VERSION_HEADER} must be an integer from 1 to ${MAX_BACKUP_VERSION}.`);
    await enforceRateLimit(rateLimitRules.chatBackupsPerAccount, actor.userId);
    const blob = await readBody();
    if (!blob.byteLength) throw new AppError("REQUEST_INVALID", "The backup is empty.");
    await writeBackup({ actor, purpose, kind, version, blob });
    return new Response(null, { status: 204, headers: NO_STORE });
  },
);

export const DELETE = routeHandler({ auth: "required", sameOrigin: true, params: ["kind"] }, async ({ actor, params }) => {
  await deleteBackup({ actor, purpose, kind: kindOf(params.kind) });
  return new Response(null, { status: 204, headers: NO_STORE });
});

/** @throws AppError NOT_FOUND for a segment that names no kind */
function kindOf(segment: string): BackupKind {
  const kind = KIND_OF_SEGMENT.get(segment);
  if (!kind) throw new AppError("NOT_FOUND", "No such backup kind.");
  return kind;
}

/** A version header: a decimal integer from 1 to MAX_BACKUP_VERSION, without sign or leading zeros. */
function parseVersion(header: string | null): number | null {
  if (!header || !/^[1-9][0-9]{0,9}$/.test(header)) return null;
  const version = Number(header);
  return version <= MAX_BACKUP_VERSION ? version : null;
}
