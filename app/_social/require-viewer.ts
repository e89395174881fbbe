import "server-only";
import { redirect } from "next/navigation";
import { serverCaller } from "@/app/_shared/trpc/server";

/** The signed-in person, or a redirect to the log-in page. */
export async function requireViewer() {
  const me = await (await serverCaller()).auth.me();
  if (!me) redirect("/login");
  return me;
}

/** Whether anyone is signed in (pages that also serve logged-out visitors branch on it). */
export async function signedIn(): Promise<boolean> {
  return (await (await serverCaller()).auth.me()) !== null;
}

/**
 * Whether a server-side tRPC call failed because there is nothing to show: the thing does not
 * exist or is hidden, its id is malformed, or nobody is signed in (the page then redirects).
 */
export function isUnavailable(error: unknown): boolean {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === "NOT_FOUND" || code === "BAD_REQUEST" || code === "UNAUTHORIZED";
}
