// Lint rules. The architecture's import boundaries are dependency-cruiser's job
// (.dependency-cruiser.cjs, run by `npm run lint`), not ESLint's.
import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", ".next/", ".data/", "server/data/generated/", "next-env.d.ts", "test-results/", "playwright-report/", "scripts/boundaries/fixtures/"] },
  ...tseslint.configs.recommended,
  {
    plugins: { "@next/next": nextPlugin, "react-hooks": reactHooks },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  // React's hook rules, where React lives (Playwright fixtures also call a function named `use`).
  { files: ["app/**/*.tsx", "app/**/*.ts"], rules: reactHooks.configs.recommended.rules },
);
