// Lint rules, and the architecture's import boundaries (see ../shared/style.md, "Habits"):
// only server/data touches Prisma; app imports only types from server (except the tRPC adapters);
// only app/_chat/crypto touches libsodium and ML-KEM; chat and calls import nothing social.
import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

const prismaOutsideDataLayer = {
  group: ["@prisma/client", "@prisma/client/*", "@prisma/adapter-pg", "**/generated/prisma", "**/generated/prisma/*", "**/data/db", "@/server/data/db"],
  message: "Only server/data may touch the database: call a function of server/data instead.",
};
const serverValuesInApp = {
  group: ["@/server/*", "../**/server/*"],
  allowTypeImports: true,
  message: "The UI imports only types from server/ (use `import type`); reach the server through tRPC.",
};
const cryptoOutsideCore = {
  group: ["libsodium-wrappers", "libsodium-wrappers-sumo", "@noble/post-quantum", "@noble/post-quantum/*"],
  message: "Only app/_chat/crypto may import libsodium or ML-KEM.",
};
const socialFromChat = {
  group: ["**/_social/*", "**/(social)/*", "**/api/social/*", "**/data/social/*", "**/social/*"],
  message: "The chat and calls module stands alone: it imports nothing from the social module.",
};

const restrict = (...patterns) => ({ "no-restricted-imports": ["error", { patterns }] });

export default tseslint.config(
  { ignores: ["node_modules/", ".next/", ".data/", "server/data/generated/", "next-env.d.ts", "test-results/", "playwright-report/"] },
  ...tseslint.configs.recommended,
  {
    plugins: { "@next/next": nextPlugin, "react-hooks": reactHooks },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      ...restrict(prismaOutsideDataLayer, cryptoOutsideCore),
    },
  },
  // React's hook rules, where React lives (Playwright fixtures also call a function named `use`).
  { files: ["app/**/*.tsx", "app/**/*.ts"], rules: reactHooks.configs.recommended.rules },
  { files: ["server/data/**"], rules: restrict(cryptoOutsideCore) },
  { files: ["app/**"], rules: restrict(prismaOutsideDataLayer, cryptoOutsideCore, serverValuesInApp) },
  // The adapters between the web and the server: route handlers, the server-component caller,
  // and the sitemap (a route handler in all but name).
  { files: ["app/api/**", "app/_shared/trpc/server.tsx", "app/sitemap.ts"], rules: restrict(prismaOutsideDataLayer, cryptoOutsideCore) },
  { files: ["app/_chat/crypto/**"], rules: restrict(prismaOutsideDataLayer, serverValuesInApp, socialFromChat) },
  // Tests check what the database holds, so they may read it directly.
  { files: ["**/*.test.ts"], rules: restrict(cryptoOutsideCore) },
  {
    files: ["app/_chat/**", "app/chat/**", "server/api/chat/**", "server/api/calls/**", "server/data/chat/**"],
    ignores: ["app/_chat/crypto/**"],
    rules: restrict(prismaOutsideDataLayer, cryptoOutsideCore, serverValuesInApp, socialFromChat),
  },
);
