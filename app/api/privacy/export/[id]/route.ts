// GET /api/privacy/export/:id — the ZIP of a finished data export, for its owner only, for 7 days.
import { validateRequestSession } from "@/server/auth/sessions";
import { person } from "@/server/data/actor";
import { findDownloadableExport } from "@/server/data/privacy/export-jobs";
import { openExportFile } from "@/server/privacy/export-files";

const notFound = () => Response.json({ error: { code: "NOT_FOUND", message: "No such export, or its 7 days are over." } }, { status: 404 });

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) return notFound();
  const auth = await validateRequestSession(request.headers);
  if (!auth) return Response.json({ error: { code: "UNAUTHENTICATED", message: "Log in to download your data." } }, { status: 401 });

  const job = await findDownloadableExport({ actor: person(auth.account.id), purpose: "core.privacy", jobId: id });
  const file = job?.storageKey ? await openExportFile(job.storageKey) : null;
  if (!job || !file) return notFound();
  const day = job.createdAt.toISOString().slice(0, 10);
  return new Response(file.stream, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Length": String(file.size),
      "Content-Disposition": `attachment; filename="hearth-${auth.account.handle}-${day}.zip"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
