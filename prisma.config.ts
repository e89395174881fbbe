import { defineConfig } from "prisma/config";
import { parseDatabaseUrl } from "./server/env";

// Prisma 7 reads no .env file and env() throws when a variable is unset; generate needs no URL,
// so the datasource is set only when DATABASE_URL is. Only that variable is checked here: the CLI
// also runs on `npm install`, which needs none of the server's other settings.
const url = parseDatabaseUrl(process.env);

export default defineConfig({
  schema: "prisma",
  migrations: { path: "prisma/migrations" },
  ...(url ? { datasource: { url } } : {}),
});
