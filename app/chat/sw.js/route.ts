// The chat's service worker, at /chat/sw.js. Served from here rather than from public/ so that each
// build's worker differs (a first comment line with the build id): browsers find a new version of
// the app only by comparing the worker's bytes. Built once per build (force-static).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { buildId } from "@/app/_shared/build-mode";

export const dynamic = "force-static";

export async function GET(): Promise<Response> {
  const source = await readFile(join(process.cwd(), "app/_chat/pwa/service-worker.js"), "utf8");
  return new Response(`// Hearth Messages, build ${buildId}\n${source}`, {
    headers: {
      "Content-Type": "text/javascript; charset=utf-8",
      // Registered with scope /chat, one level above its own folder.
      "Service-Worker-Allowed": "/chat",
      "Cache-Control": "no-cache",
    },
  });
}
