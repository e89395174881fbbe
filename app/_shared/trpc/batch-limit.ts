/**
 * The most calls one batched tRPC request may carry. The server refuses more (one request would
 * otherwise run any number of procedures); the client's batch link splits at the same number.
 */
export const MAX_TRPC_BATCH_SIZE = 50;
