// For frames that link to the social site: whether this deployment serves it (server/hearth-app.ts).
import "server-only";
import { serverEnv } from "@/server/env";

/** False in a chat-only deployment (HEARTH_APP=chat), where Hearth Chat runs on its own. */
export function servesSocialSite(): boolean {
  return serverEnv().HEARTH_APP !== "chat";
}
