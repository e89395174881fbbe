// LiveKit's E2EE worker (the code that encrypts and decrypts media frames in the browser), served
// from our origin as the package ships it prebuilt. Bundling it with `new Worker(new URL(…))` from a
// package is what Turbopack's production builds crashed on (next.js #94015); read here at build
// time instead, so nothing generated is committed and the worker always matches the installed
// livekit-client. Classic (UMD) script: no module worker needed.
import { readFile } from "node:fs/promises";
import path from "node:path";

export const dynamic = "force-static";

export async function GET(): Promise<Response> {
  const source = await readFile(path.join(process.cwd(), "node_modules", "livekit-client", "dist", "livekit-client.e2ee.worker.js"));
  return new Response(source, { headers: { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "public, max-age=86400" } });
}
