// Where exports are kept: finished ZIPs in the export store (media-storage.ts: the local disk or
// the shared S3 bucket, so any instance serves an export another built), one per job under a
// random key; a ZIP being built sits in <HEARTH_DATA_DIR>/exports-building on the instance
// building it until it is complete. The owner check happens in the data layer.
import "server-only";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { serverEnv } from "../env";
import { exportStorage } from "../media/media-storage";

function assertExportKey(storageKey: string): void {
  if (!/^[a-z0-9-]{1,95}$/.test(storageKey)) throw new Error(`Invalid export key: ${storageKey}`);
}

/** The store's key of an export's ZIP. */
export function exportKeyOf(storageKey: string): string {
  assertExportKey(storageKey);
  return `${storageKey}.zip`;
}

/** Where this instance writes a ZIP while building it (made readable by the server user only). */
export async function exportBuildPath(storageKey: string): Promise<string> {
  assertExportKey(storageKey);
  const dir = path.resolve(serverEnv().HEARTH_DATA_DIR, "exports-building");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return path.join(dir, `${storageKey}.zip.part`);
}

/** Moves a finished ZIP from the build folder into the export store. */
export async function storeBuiltExport(storageKey: string, builtPath: string): Promise<void> {
  try {
    await exportStorage().putFile(exportKeyOf(storageKey), builtPath);
  } finally {
    await rm(builtPath, { force: true });
  }
}

export async function openExportFile(storageKey: string): Promise<{ stream: ReadableStream<Uint8Array>; size: number } | null> {
  return exportStorage().read(exportKeyOf(storageKey));
}

export async function deleteExportFiles(storageKeys: readonly string[]): Promise<void> {
  await Promise.all(
    storageKeys.map(async (key) => {
      await exportStorage().delete(exportKeyOf(key));
      await rm(await exportBuildPath(key), { force: true });
    }),
  );
}
