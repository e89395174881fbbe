// POST /api/calls/webhook: LiveKit's webhooks. They come from the LiveKit server, not a browser, so
// the same-origin check does not apply; the signature does (server/calls/receive-call-webhook.ts):
// an unsigned or forged event is a 401. The body is read within a small limit before it is checked.
import { receiveCallWebhook } from "@/server/calls/receive-call-webhook";
import { requireLivekitSettings } from "@/server/calls/livekit-settings";
import { routeHandler } from "@/server/http/route-handler";

/** LiveKit's events are a few kilobytes of JSON (a room, a participant, a track). */
const MAX_WEBHOOK_BYTES = 64 * 1024;

export const POST = routeHandler({ auth: "optional", sameOrigin: false, bodyLimit: MAX_WEBHOOK_BYTES }, async ({ request, readBody }) => {
  const settings = requireLivekitSettings();
  const body = new TextDecoder().decode(await readBody());
  await receiveCallWebhook({ settings, body, authorization: request.headers.get("authorization") });
  return new Response(null, { status: 200, headers: { "Cache-Control": "no-store" } });
});
