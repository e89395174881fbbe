// Hearth Chat on its own (HEARTH_APP=chat), checked by `npm run lint:boundaries` after the main
// rules (.dependency-cruiser.cjs): nothing the chat module imports, directly or through any number
// of other modules (shared UI, the account's components, the server's data layer), and type-only
// imports included, is code of the social module. The one module the cruise does not go past is the
// composition root, server/root.ts: that is where a deployment picks its routers (the whole API, or
// chat-only without the social one). scripts/boundaries/boundaries.test.ts proves the rule fires.
import base from "./.dependency-cruiser.cjs";

const rule = (name) => base.forbidden.find((candidate) => candidate.name === name);
const { from: chatModule, to: socialModule } = rule("chat-imports-social");
const testCode = rule("server-imports-app").from.pathNot;

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: "chat-app-reaches-social",
      comment:
        "Hearth Chat builds and runs without the social module: what the chat module imports must not lead to it, except through the composition root (server/root.ts).",
      severity: "error",
      from: { path: chatModule.path, pathNot: testCode },
      to: { path: socialModule.path, reachable: true },
    },
  ],
  options: { ...base.options, doNotFollow: { path: ["node_modules", "^server/root\\.ts$"] } },
};
