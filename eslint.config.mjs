// Lint rules. The architecture's import boundaries are dependency-cruiser's job
// (.dependency-cruiser.cjs, run by `npm run lint`), not ESLint's.
import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      ".next/",
      ".data/",
      "server/data/generated/",
      "next-env.d.ts",
      "test-results/",
      "playwright-report/",
      "scripts/boundaries/fixtures/",
    ],
  },
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
  // Configuration is read in one place: serverEnv() (server/env.ts) for the server, toolEnv()
  // (scripts/tool-env.ts) for the tools; server/env.test.ts proves this fires. Setting a variable
  // (tests, scripts preparing the server's environment) and passing process.env whole to a child
  // process stay allowed. Any other no-restricted-syntax rule must be added to this one block.
  {
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector:
            "MemberExpression[object.type='MemberExpression'][object.object.name='process'][object.property.name='env']:not(AssignmentExpression > MemberExpression.left)",
          message: "Read configuration through serverEnv() (server/env.ts) or toolEnv() (scripts/tool-env.ts), where it is validated; not from process.env.",
        },
      ],
    },
  },
  // React's hook rules, where React lives (Playwright fixtures also call a function named `use`).
  { files: ["app/**/*.tsx", "app/**/*.ts"], rules: reactHooks.configs.recommended.rules },
);
