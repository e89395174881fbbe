// /api/trpc served by Hearth's own Node server instead of through Next's route handling, which
// cost more CPU than the procedures themselves on a home-timeline page (docs/benchmarks.md). The
// request goes through the very handler Next would run (app/api/trpc/[trpc]/route.ts: the origin
// check against CSRF, the body limit, the same router, context and cookies), and the answer gets
// the same security headers as every other response (server/http/security-headers.mjs).
import type { IncomingMessage, ServerResponse } from "node:http";
import { register } from "node:module";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { incomingMessageToRequest } from "@trpc/server/adapters/node-http";
import { forgetServerEnv } from "../server/env";
import { securityHeaders, STRICT_PERMISSIONS_POLICY } from "../server/http/security-headers.mjs";

export const TRPC_PATH_PREFIX = "/api/trpc/";

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Loads the tRPC endpoint's handler (and with it the router) into this process. */
export async function loadTrpcHandler(options: { production: boolean }): Promise<NodeHandler> {
  register("./server-only-hook.mjs", import.meta.url);
  // This process's server code is the run command's own module graph, which may have read the
  // environment before the run command set the variables of the services it started (mail, LiveKit).
  forgetServerEnv();
  const { GET: handle } = await import("../app/api/trpc/[trpc]/route");
  const staticHeaders: [string, string][] = [
    ...securityHeaders(options.production).map(({ key, value }): [string, string] => [key, value]),
    ["Permissions-Policy", STRICT_PERMISSIONS_POLICY],
  ];
  return async (req, res) => {
    // The body is left unread here: the handler enforces its own limit while reading it.
    const request = incomingMessageToRequest(req, res, { maxBodySize: null });
    let response: Response;
    try {
      response = await handle(request);
    } catch (error) {
      console.error(`${req.method} ${req.url?.split("?")[0]} failed:`, error);
      response = Response.json({ error: { message: "Something went wrong on our side." } }, { status: 500 });
    }
    res.statusCode = response.status;
    for (const [key, value] of staticHeaders) res.setHeader(key, value);
    response.headers.forEach((value, key) => {
      if (key !== "set-cookie") res.setHeader(key, value);
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length) res.setHeader("set-cookie", cookies);
    if (!response.body) {
      res.end();
      return;
    }
    // Streamed as it comes: subscriptions are server-sent events that stay open.
    res.flushHeaders();
    Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>)
      .on("error", () => res.destroy())
      .pipe(res);
  };
}
