// Reading the server's errors: the tRPC code, and Hearth's own code when the server sent one.
import { isTrpcCallError } from "@/app/_shared/trpc/trpc-call-error";

export function serverErrorOf(error: unknown): { code: string | null; appCode: string | null; network: boolean } {
  if (!isTrpcCallError(error)) return { code: null, appCode: null, network: false };
  const data = error.data as { code?: string; appCode?: string | null } | undefined;
  // No data: the request never got a tRPC answer (offline, proxy error page, aborted).
  return { code: data?.code ?? null, appCode: data?.appCode ?? null, network: !data };
}
