// What a server value becomes in the browser: tRPC sends plain JSON, so a Date arrives as its ISO
// string. The same mapping tRPC applies to procedure outputs, so a query's data and these types agree.
import type { Serialize } from "@trpc/server/unstable-core-do-not-import";

export type Wire<T> = Serialize<T>;
