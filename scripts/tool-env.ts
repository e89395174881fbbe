// The variables only Hearth's tools read (the test runners, the browser tests and their fixtures,
// the start-up prompt), never the server: validated like the server's own (server/env.ts), on first
// use. Both tables in README.md list them.
import { tmpdir } from "node:os";
import path from "node:path";
import { z } from "zod";
import { envPort, envText, envTextOr, parseEnv } from "../server/env";

const ZToolEnvSchema = z.object({
  /** The browser for the Playwright tests; unset: found by scripts/find-chromium.ts. */
  CHROMIUM_PATH: envText(),
  /** Port of the server the browser tests start. */
  HEARTH_E2E_PORT: envPort(3100),
  /** The browser tests' server data, secrets ledger and log; scripts/test-e2e.ts makes a fresh one. */
  HEARTH_E2E_DATA_DIR: envTextOr(path.join(tmpdir(), "hearth-e2e")),
  /** Set (to anything) by CI services: no prompts, and `test.only` fails the run. */
  CI: envText().transform(Boolean),
});

/** Every variable only the tools read. */
export const TOOL_ENV_VARIABLES = Object.keys(ZToolEnvSchema.shape);

export type ToolEnv = z.infer<typeof ZToolEnvSchema>;

/** @throws InvalidEnvironmentError naming each bad variable */
export function parseToolEnv(source: Record<string, string | undefined>): ToolEnv {
  return parseEnv(ZToolEnvSchema, source);
}

let cached: ToolEnv | undefined;

/** @throws InvalidEnvironmentError naming each bad variable */
export function toolEnv(): ToolEnv {
  cached ??= parseToolEnv(process.env);
  return cached;
}
