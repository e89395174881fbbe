// Cross-instance mutual exclusion with PostgreSQL advisory locks, so that two app instances on one
// database never run the same sweeper or build the same export at once. Session-level locks on one
// dedicated connection per process: a lock lives as long as that connection, so an instance that
// dies (SIGKILL, lost network) frees its locks the moment PostgreSQL notices, with no lease to expire.
// Invariant: work done under a lock is still safe to repeat (the sweeps are idempotent deletes), since a
// dropped connection frees the lock while the work may still be running.
import "server-only";
import pg from "pg";
import { serverEnv } from "../../env";

/** A lock's key: a name hashed into PostgreSQL's 64-bit lock space (hashtextextended). */
type LockName = string;

export class AdvisoryLocks {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  /** Queries on the one connection run one after another, so a lock's unlock never overtakes it. */
  private queue: Promise<unknown> = Promise.resolve();

  private connection(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const connectionString = serverEnv().DATABASE_URL;
      if (!connectionString) throw new Error("DATABASE_URL is not set.");
      const client = new pg.Client({ connectionString, application_name: "hearth-advisory-locks", keepAlive: true });
      const drop = () => {
        // PostgreSQL has freed every lock of this connection; the next use connects again.
        if (this.client === client) this.client = null;
        client.removeAllListeners();
        client.on("error", () => undefined);
      };
      client.on("error", drop);
      client.on("end", drop);
      await client.connect();
      this.client = client;
      return client;
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private query<T extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<T>> {
    const run = this.queue.then(async () => (await this.connection()).query<T>(text, values));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Takes the lock if it is free; false when another session holds it. */
  async tryLock(name: LockName): Promise<boolean> {
    const { rows } = await this.query<{ locked: boolean }>("SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked", [name]);
    return rows[0]?.locked === true;
  }

  /** Waits until the lock is free, then takes it (for locks held only for moments). */
  async lock(name: LockName): Promise<void> {
    await this.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [name]);
  }

  async unlock(name: LockName): Promise<void> {
    await this.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [name]).catch(() => undefined);
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}

const globalForLocks = globalThis as unknown as { hearthAdvisoryLocks?: AdvisoryLocks };

/** The process's advisory locks (one connection), made on first use. */
export function advisoryLocks(): AdvisoryLocks {
  globalForLocks.hearthAdvisoryLocks ??= new AdvisoryLocks();
  return globalForLocks.hearthAdvisoryLocks;
}

/**
 * Runs `work` unless another instance is running work under the same name; resolves to whether it ran.
 * @throws whatever `work` throws (the lock is released first)
 */
export async function runExclusively(name: LockName, work: () => Promise<unknown>): Promise<boolean> {
  const locks = advisoryLocks();
  if (!(await locks.tryLock(name))) return false;
  try {
    await work();
    return true;
  } finally {
    await locks.unlock(name);
  }
}
