// Which build client code is part of. Next writes NODE_ENV into the bundles when it builds them,
// so this is a constant, not configuration read at run time; it is the one place client code
// looks. The server reads server/env.ts instead.
// eslint-disable-next-line no-restricted-syntax -- replaced by a literal at build time
export const isProductionBuild = process.env.NODE_ENV === "production";

/** This build's id (next.config.mjs), a literal in the bundles; "development" under `next dev`, which may not set it. */
// eslint-disable-next-line no-restricted-syntax -- replaced by a literal at build time
export const buildId = process.env.HEARTH_BUILD_ID ?? "development";
