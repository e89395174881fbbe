import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // The real package throws outside React Server Components; tests run server code directly.
      "server-only": path.resolve(import.meta.dirname, "server/testing/server-only-stub.ts"),
    },
  },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", ".next/**", "e2e/**", ".data/**", "scripts/boundaries/fixtures/**"],
    environment: "node",
    globalSetup: ["server/testing/global-setup.ts"],
    setupFiles: ["server/testing/setup-database-env.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
