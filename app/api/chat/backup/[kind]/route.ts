// GET | PUT | DELETE /api/chat/backup/{recovery-key|passphrase}: the signed-in account's sealed
// chat backup of that kind, as raw bytes. A thin edge over server/data/chat/backups.ts; the server
// never reads the blob. PUT and DELETE must come from this origin, as the media upload must. The
// body is read with a byte budget (Content-Length is only a hint) and must be as long as declared,
// so a cut-off upload is never stored. Errors are JSON `{ error: "<translation key>" }`.
import { isAllowedRequestOrigin } from "@/server/auth/request-origin";
import { enforceRateLimit, rateLimitRules } from "@/server/auth/rate-limits";
import { validateRequestSession } from "@/server/auth/sessions";
import { person } from "@/server/data/actor";
import { type BackupKind, deleteBackup, MAX_BACKUP_BYTES, MAX_BACKUP_VERSION, readBackup, writeBackup } from "@/server/data/chat/backups";
import { serverEnv } from "@/server/env";
import { AppError } from "@/server/errors";
import { readBodyWithin } from "@/server/http/read-body-within";

type RouteContext = { params: Promise<{ kind: string }> };

const purpose = "core.messaging";
const VERSION_HEADER = "x-backup-version";
const KIND_OF_SEGMENT = new Map<string, BackupKind>([
  ["recovery-key", "recovery_key"],
  ["passphrase", "passphrase"],
]);

export function GET(request: Request, context: RouteContext): Promise<Response> {
  return respond(async () => {
    const { userId, kind } = await authorize(request, context);
    const backup = await readBackup({ actor: person(userId), purpose, kind });
    if (!backup) throw new Refusal(404, "backup_not_found");
    return new Response(new Uint8Array(backup.blob), {
      headers: {
        "Content-Type": "application/octet-stream",
        "Content-Length": String(backup.blob.byteLength),
        "X-Backup-Version": String(backup.version),
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  });
}

export function PUT(request: Request, context: RouteContext): Promise<Response> {
  return respond(async () => {
    const { userId, kind } = await authorize(request, context);
    const version = parseVersion(request.headers.get(VERSION_HEADER));
    if (version === null) throw new Refusal(400, "backup_version_invalid");
    const declared = request.headers.get("content-length");
    const declaredLength = declared === null ? null : Number(declared);
    if (declaredLength !== null && !Number.isSafeInteger(declaredLength)) throw new Refusal(400, "backup_length_invalid");
    if (declaredLength !== null && declaredLength > MAX_BACKUP_BYTES) throw new Refusal(413, "backup_too_large");
    await enforceRateLimit(rateLimitRules.chatBackupsPerAccount, userId);

    const blob = await readBodyWithin(request, MAX_BACKUP_BYTES);
    if (!blob) throw new Refusal(413, "backup_too_large");
    if (declaredLength !== null && blob.byteLength !== declaredLength) throw new Refusal(400, "backup_length_invalid");
    if (!blob.byteLength) throw new Refusal(400, "backup_empty");
    await writeBackup({ actor: person(userId), purpose, kind, version, blob });
    return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
  });
}

export function DELETE(request: Request, context: RouteContext): Promise<Response> {
  return respond(async () => {
    const { userId, kind } = await authorize(request, context);
    await deleteBackup({ actor: person(userId), purpose, kind });
    return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
  });
}

/** A refusal with its status and translation key. */
class Refusal {
  constructor(
    readonly status: number,
    readonly error: string,
  ) {}
}

async function authorize(request: Request, context: RouteContext): Promise<{ userId: string; kind: BackupKind }> {
  // GET always passes; PUT and DELETE must name this host.
  if (!isAllowedRequestOrigin(request, { trustProxy: serverEnv().HEARTH_TRUST_PROXY })) throw new Refusal(403, "forbidden_origin");
  const kind = KIND_OF_SEGMENT.get((await context.params).kind);
  if (!kind) throw new Refusal(404, "not_found");
  const valid = await validateRequestSession(request.headers);
  if (!valid) throw new Refusal(401, "unauthenticated");
  return { userId: valid.account.id, kind };
}

/** A version header: a decimal integer from 1 to MAX_BACKUP_VERSION, without sign or leading zeros. */
function parseVersion(header: string | null): number | null {
  if (!header || !/^[1-9][0-9]{0,9}$/.test(header)) return null;
  const version = Number(header);
  return version <= MAX_BACKUP_VERSION ? version : null;
}

async function respond(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Refusal) return jsonError(error.status, error.error);
    if (error instanceof AppError && error.code === "BACKUP_VERSION_CONFLICT") return jsonError(409, "backup_version_conflict");
    if (error instanceof AppError && error.code === "RATE_LIMITED") {
      const response = jsonError(429, "rate_limited");
      response.headers.set("Retry-After", String(error.details.retryAfterSeconds ?? 60));
      return response;
    }
    console.error("Chat backup request failed:", error);
    return jsonError(500, "internal");
  }
}

function jsonError(status: number, error: string): Response {
  return Response.json({ error }, { status, headers: { "Cache-Control": "no-store" } });
}
