// Where finished exports are kept: <HEARTH_DATA_DIR>/exports, one ZIP per job, readable only by
// the server user. Keys are random; the owner check happens in the data layer.
import "server-only";
import { createReadStream } from "node:fs";
import { mkdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { serverEnv } from "../env";

export function exportsDir(): string {
  return path.resolve(serverEnv().HEARTH_DATA_DIR, "exports");
}

export function exportFilePath(storageKey: string): string {
  if (!/^[a-z0-9-]{1,100}$/.test(storageKey)) throw new Error(`Invalid export key: ${storageKey}`);
  return path.join(exportsDir(), `${storageKey}.zip`);
}

export async function ensureExportsDir(): Promise<void> {
  await mkdir(exportsDir(), { recursive: true, mode: 0o700 });
}

export async function openExportFile(storageKey: string): Promise<{ stream: ReadableStream<Uint8Array>; size: number } | null> {
  const file = exportFilePath(storageKey);
  try {
    const { size } = await stat(file);
    const { Readable } = await import("node:stream");
    return { stream: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>, size };
  } catch {
    return null;
  }
}

export async function deleteExportFiles(storageKeys: readonly string[]): Promise<void> {
  await Promise.all(storageKeys.map((key) => rm(exportFilePath(key), { force: true })));
}
