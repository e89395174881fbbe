// GET /api/privacy/export/:id — the ZIP of a finished data export, for its owner only, for 7 days.
import { findDownloadableExport } from "@/server/data/privacy/export-jobs";
import { AppError } from "@/server/errors";
import { routeHandler } from "@/server/http/route-handler";
import { openExportFile } from "@/server/privacy/export-files";

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const notFound = () => new AppError("NOT_FOUND", "No such export, or its 7 days are over.");

export const GET = routeHandler({ auth: "required", sameOrigin: true, params: ["id"] }, async ({ actor, session, params }) => {
  if (!UUID_PATTERN.test(params.id)) throw notFound();
  const job = await findDownloadableExport({ actor, purpose: "core.privacy", jobId: params.id });
  const file = job?.storageKey ? await openExportFile(job.storageKey) : null;
  if (!job || !file) throw notFound();
  const day = job.createdAt.toISOString().slice(0, 10);
  return new Response(file.stream, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Length": String(file.size),
      "Content-Disposition": `attachment; filename="hearth-${session.account.handle}-${day}.zip"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
