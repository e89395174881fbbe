// For command-line tools that end on their own: closes the data layer's connection pool, so the
// process can exit without reaching for the Prisma client itself.
import "server-only";
import { db } from "./db";

export async function closeDatabase(): Promise<void> {
  await db().$disconnect();
}
