// GET /api/media/{id}: the full-size image.
import { serveMedia } from "../serve-media";

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return serveMedia(request, (await context.params).id, "full");
}
