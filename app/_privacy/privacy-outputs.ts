// What the privacy and operator procedures return, as the UI sees it (types only).
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/root";

type Outputs = inferRouterOutputs<AppRouter>;

export type PurposeConsent = Outputs["privacy"]["consents"][number];
export type AccessLogPage = Outputs["privacy"]["accessLog"];
export type ExportJob = Outputs["privacy"]["exports"][number];
export type DailyCounts = Outputs["operator"]["analytics"][number];

/** Where the next page of the access log starts; shared by the server's prefetch and the browser. */
export const nextAccessLogCursor = (page: AccessLogPage): string | null => page.nextCursor;
