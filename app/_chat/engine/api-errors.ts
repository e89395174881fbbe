// Reading the server's errors: the tRPC code, and Hearth's own code when the server sent one.
import { TRPCClientError } from "@trpc/client";

export function serverErrorOf(error: unknown): { code: string | null; appCode: string | null; network: boolean } {
  if (!(error instanceof TRPCClientError)) return { code: null, appCode: null, network: false };
  const data = error.data as { code?: string; appCode?: string | null } | undefined;
  // No data: the request never got a tRPC answer (offline, proxy error page, aborted).
  return { code: data?.code ?? null, appCode: data?.appCode ?? null, network: !data };
}
