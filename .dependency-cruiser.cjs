// The architecture's import boundaries, checked by `npm run lint` (dependency-cruiser sees static,
// dynamic and type-only imports alike, and one rule cannot silently replace another).
// scripts/boundaries/boundaries.test.ts runs these rules over a fixture folder of deliberate
// violations and expects every one of them to be reported: a rule that stops firing fails a test.
//
// Paths are relative to the folder depcruise runs in (the repository, or the fixture folder, whose
// npm packages resolve to ../../../node_modules: hence the unanchored node_modules patterns).

const npm = (...names) => `(^|/)node_modules/(${names.join("|")})/`;

const DATABASE = [npm("@prisma/client", "@prisma/adapter-pg", "pg", "@types/pg"), "^server/data/generated/", "^server/data/db\\.ts$"];
const CRYPTO_LIBRARIES = [npm("libsodium-wrappers", "libsodium-wrappers-sumo", "@noble/post-quantum")];
const CHAT_MODULE = "^(app/chat|app/_chat|app/api/chat|app/api/calls|server/api/chat|server/api/calls|server/calls|server/data/chat)/";
const SOCIAL_MODULE = "^(app/\\(social\\)|app/_social|app/api/social|app/api/media|server/api/social|server/data/social)/";
/** Code meant for both sides (locale names, handle and post-text rules): the only part of app/ the server may import. */
const ISOMORPHIC = "^app/_shared/isomorphic/";
/** Where the web meets the server in one process: route handlers, the server-component caller, the sitemap. */
const SERVER_ADAPTERS = ["^app/api/", "^app/_shared/trpc/server\\.tsx$", "^app/_shared/served-app\\.ts$", "^app/sitemap\\.ts$"];
/** Test code reads what the database holds to check it; none of it ships. */
const TEST_CODE = [
  "\\.test\\.ts$",
  "^server/testing/",
  "^server/api/chat/chat-testing\\.ts$",
  "^e2e/no-plaintext-at-rest\\.ts$",
  "^e2e/fixtures/database\\.ts$",
  "^e2e/fixtures/sweep-as-of\\.ts$",
];
/** Benchmarks measure the raw SQL floor and the crypto libraries themselves. */
const BENCHMARKS = ["^bench/"];
/** The demo world is bulk-loaded with COPY through pg: 2,000 posts one domain call at a time would take minutes. */
const SEED = ["^prisma/seed/"];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "not-to-unresolvable",
      comment: "An import that does not resolve would escape every rule below (and fails at run time).",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: "no-circular",
      comment: "Import cycles make load order matter and modules impossible to take apart.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "database-outside-data-layer",
      comment: "Only server/data touches the database (Prisma or pg, static or dynamic): that is where consent is enforced. Call a function of server/data.",
      severity: "error",
      from: { pathNot: ["^server/data/", ...TEST_CODE, ...BENCHMARKS, ...SEED] },
      to: { path: DATABASE },
    },
    {
      name: "database-in-chat-client",
      comment: "The chat client (its crypto core included) never reads the database, not even in its tests.",
      severity: "error",
      from: { path: "^app/_chat/" },
      to: { path: DATABASE },
    },
    {
      name: "crypto-outside-core",
      comment: "Only app/_chat/crypto imports libsodium or ML-KEM.",
      severity: "error",
      from: { pathNot: ["^app/_chat/crypto/", ...BENCHMARKS] },
      to: { path: CRYPTO_LIBRARIES },
    },
    {
      name: "chat-imports-social",
      comment: "The chat and calls module stands alone (it can ship as its own app): it imports nothing from the social module.",
      severity: "error",
      from: { path: CHAT_MODULE },
      to: { path: SOCIAL_MODULE },
    },
    {
      name: "server-imports-app",
      comment: "server/ imports from app/ only the isomorphic folder (code meant for both sides).",
      severity: "error",
      from: { path: "^server/", pathNot: TEST_CODE },
      to: { path: "^app/", pathNot: ISOMORPHIC },
    },
    {
      name: "app-imports-server-values",
      comment: "The UI imports only types from server/ (`import type`); it reaches the server through tRPC.",
      severity: "error",
      from: { path: "^app/", pathNot: [...SERVER_ADAPTERS, ...TEST_CODE] },
      to: { path: "^server/", dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["^scripts/boundaries/fixtures/", "^server/data/generated/", "^\\.next/"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
      extensions: [".ts", ".tsx", ".d.ts", ".js", ".mjs", ".cjs", ".json"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
