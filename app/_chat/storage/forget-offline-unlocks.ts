// Log-out's part of the offline unlock (offline-unlock.ts): deletes every account's kept copy of
// the storage secret on this device. On its own, without the crypto core, so that log-out loads
// only IndexedDB code.
import { openDB } from "idb";
import { chatDatabaseName, META_OFFLINE_UNLOCK } from "./schema";

/** Forgets the kept secret of every chat storage here: whoever comes next needs the server's. */
export async function forgetEveryOfflineUnlock(): Promise<void> {
  const prefix = chatDatabaseName("");
  const names = (await indexedDB.databases()).flatMap(({ name }) => (name?.startsWith(prefix) ? [name] : []));
  await Promise.all(
    names.map(async (name) => {
      // Opened at its current version (no upgrade), which exists: it was just listed.
      const db = await openDB(name);
      try {
        if (db.objectStoreNames.contains("meta")) await db.delete("meta", META_OFFLINE_UNLOCK);
      } finally {
        db.close();
      }
    }),
  );
}
