/**
 * The sumo build of libsodium.js (it has Argon2id; ≈170 kB gzipped, a second WebAssembly
 * instance beside the standard build): loaded with a dynamic import, only when a backup is
 * sealed or opened, so it stays out of the chat's first-load bundle.
 */
// A type-only import: erased at build time, so the module itself is still loaded lazily below.
import type sumoModule from "libsodium-wrappers-sumo";

export type SodiumSumo = typeof sumoModule;

let loading: Promise<SodiumSumo> | undefined;

export function loadSodiumSumo(): Promise<SodiumSumo> {
  loading ??= import("libsodium-wrappers-sumo").then(async ({ default: sumo }) => {
    await sumo.ready;
    return sumo;
  });
  return loading;
}
