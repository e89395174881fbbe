import { defineConfig } from "prisma/config";

// Prisma 7 reads no .env file and env() throws when a variable is unset; generate needs no URL,
// so the datasource is set only when DATABASE_URL is.
const url = process.env.DATABASE_URL;

export default defineConfig({
  schema: "prisma",
  migrations: { path: "prisma/migrations" },
  ...(url ? { datasource: { url } } : {}),
});
