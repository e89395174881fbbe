// GET /api/media/{id}: the full-size image.
import { routeHandler } from "@/server/http/route-handler";
import { serveMedia } from "../serve-media";

export const GET = routeHandler({ auth: "optional", sameOrigin: true, params: ["id"] }, ({ params, actor }) =>
  serveMedia({ actor, mediaId: params.id, variant: "full" }),
);
