// GET /api/media/{id}/preview: the image's small WebP preview.
import { serveMedia } from "../../serve-media";

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return serveMedia(request, (await context.params).id, "preview");
}
