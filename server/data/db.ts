// The one Prisma client. Only modules under server/data import this file (enforced by
// dependency-cruiser, see .dependency-cruiser.cjs); everything else reaches data through the domain
// functions beside it.
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { serverEnv } from "../env";
import { PrismaClient } from "./generated/prisma/client";
import { statementName } from "./prepared-statements";

/** How long a transaction may wait for a connection, and then run. */
const TRANSACTION_WAIT_MS = 10_000;

function createClient(): PrismaClient {
  const url = serverEnv().DATABASE_URL;
  if (!url) {
    throw new Error("DATABASE_URL is not set: start Hearth with `npm start`, which provides the embedded database.");
  }
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString: url, max: 10 }, { statementNameGenerator: statementName }),
    // A transaction waits for a pooled connection as a plain query does, instead of failing after
    // Prisma's default 2 s: under a burst (bench/load) that default turned a queue into 500s.
    transactionOptions: { maxWait: TRANSACTION_WAIT_MS, timeout: TRANSACTION_WAIT_MS },
  });
}

const globalForPrisma = globalThis as unknown as { hearthPrisma?: PrismaClient };

/** Lazily created so that importing the data layer never needs a database (e.g. at build time). */
export function db(): PrismaClient {
  globalForPrisma.hearthPrisma ??= createClient();
  return globalForPrisma.hearthPrisma;
}

export type { PrismaClient };
export { Prisma } from "./generated/prisma/client";
export { PREPARED } from "./prepared-statements";
