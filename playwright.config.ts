import { defineConfig } from "@playwright/test";
import { e2eDataDir, serverLogFile } from "./e2e/fixtures/secrets-ledger";
import { toolEnv } from "./scripts/tool-env";

const { HEARTH_E2E_PORT: port, CI, CHROMIUM_PATH } = toolEnv();
export const baseURL = `http://localhost:${port}`;
/** The fake push service standing in for the browser vendors' (scripts/push/fake-push-service.ts), on a port of its own. */
export const fakePushOrigin = `http://127.0.0.1:${port + 1000}`;
/** Chromium's flags for every test (the calls journey adds fake media devices to them). */
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  // One journey at a time: Messages now run on every page, and two journeys of three browsers each
  // (each making keys, sealing and linking) starved each other on 2 cores until steps timed out.
  workers: 1,
  // No retries: a flaky test is a bug to fix, not to hide.
  retries: 0,
  forbidOnly: CI,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  projects: [
    { name: "journeys", testIgnore: /chat\/calls\.spec\.ts$/ },
    // Calls encode and decode video in several browsers at once, which starves whatever runs beside
    // them on 2 cores: they run after every other journey, on their own.
    { name: "calls", testMatch: /chat\/calls\.spec\.ts$/, dependencies: ["journeys"] },
  ],
  // After every test: nothing the chat tests typed may be in the database, its files or the logs.
  globalTeardown: "./e2e/no-plaintext-at-rest.ts",
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
  webServer: [
    {
      command: `npx --no-install tsx scripts/push/fake-push-service.ts ${port + 1000}`,
      url: `${fakePushOrigin}/records/ready`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      command: "npx --no-install tsx scripts/start.ts --no-build",
      url: `${baseURL}/login`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        PORT: String(port),
        HEARTH_DATA_DIR: e2eDataDir,
        HEARTH_LOG_FILE: serverLogFile,
        // Each test presents its own client address in X-Forwarded-For, so rate limits see each
        // test as its own visitor, as they would see people behind a real proxy.
        HEARTH_TRUST_PROXY: "1",
        // A production build that is a throwaway test server: HEARTH_TEST_MODE is what lets the test
        // clock on under NODE_ENV=production (server/env.ts); `npm start` never sets it.
        HEARTH_TEST_MODE: "1",
        HEARTH_TEST_CLOCK: "1",
        // The one operator of the test server (e2e/privacy/reports.spec.ts signs it up).
        HEARTH_OPERATOR_HANDLES: "e2e_operator",
        NEXT_TELEMETRY_DISABLED: "1",
        // Wake-ups may go to the fake push service (and, as always, to the vendors' own).
        HEARTH_PUSH_SERVICE_ORIGINS: fakePushOrigin,
      },
    },
  ],
});
