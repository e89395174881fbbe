// Privacy by construction: only the data layer may touch the database. ESLint enforces this
// while editing; this test makes the build fail if it is ever bypassed.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOTS = ["app", "server", "e2e", "proxy.ts", "instrumentation.ts"];
const ALLOWED = [/^server\/data\//, /\.test\.tsx?$/];
const PRISMA_IMPORT = /from\s+["'](@prisma\/client[^"']*|@prisma\/adapter-pg|[^"']*generated\/prisma[^"']*|[^"']*\/data\/db)["']/;

function sourceFiles(entry: string): string[] {
  if (!statSync(entry).isDirectory()) return /\.(ts|tsx|mts)$/.test(entry) ? [entry] : [];
  return readdirSync(entry).flatMap((name) => (name === "node_modules" || name === "generated" ? [] : sourceFiles(path.join(entry, name))));
}

describe("the import boundary", () => {
  it("keeps the Prisma client inside server/data", () => {
    const offenders = ROOTS.flatMap(sourceFiles)
      .filter((file) => !ALLOWED.some((pattern) => pattern.test(file)))
      .filter((file) => PRISMA_IMPORT.test(readFileSync(file, "utf8")));
    expect(offenders).toEqual([]);
  });

  it("would notice an offender", () => {
    expect(PRISMA_IMPORT.test(`import { db } from "../data/db";`)).toBe(true);
    expect(PRISMA_IMPORT.test(`import { PrismaClient } from "@prisma/client";`)).toBe(true);
    expect(PRISMA_IMPORT.test(`import type { User } from "../server/data/generated/prisma/client";`)).toBe(true);
  });
});
