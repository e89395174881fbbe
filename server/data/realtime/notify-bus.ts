// The LISTEN side of Postgres NOTIFY: one dedicated connection per server process, fanned out to
// in-process subscribers by key (for envelopes, the recipient device's row id).
// Invariants: a wake-up carries no data, so a lost or duplicated one costs a query, never a
// message; subscribers re-read the database after every wake-up, after every reconnection (when
// notifications may have been missed) and at least every `maxWaitMs`.
import "server-only";
import pg from "pg";
import { serverEnv } from "../../env";
import { ENVELOPES_CHANNEL } from "./channels";

type Listener = () => void;

const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 10_000;

export class NotifyBus {
  private readonly listeners = new Map<string, Set<Listener>>();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private closed = false;

  constructor(
    private readonly channel: string,
    private readonly connectionString: () => string | undefined,
    private readonly applicationName = "hearth-notify-bus",
  ) {}

  /** Calls `listener` on every NOTIFY for `key`, and after reconnections. Returns the unsubscribe. */
  subscribe(key: string, listener: Listener): () => void {
    const set = this.listeners.get(key) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(key, set);
    this.ensureConnected().catch(() => undefined);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(key) === set) this.listeners.delete(key);
    };
  }

  /**
   * A wake-up source for one key that remembers a notification arriving while nobody waits, so
   * "read the database, then wait" never misses one that came in between.
   */
  wakeups(key: string): Wakeups {
    let pending = false;
    let wake: (() => void) | null = null;
    const unsubscribe = this.subscribe(key, () => {
      pending = true;
      wake?.();
    });
    return {
      ready: () => this.ensureConnected(),
      wait: (options) =>
        new Promise<void>((resolve) => {
          if (pending || options.signal?.aborted) {
            pending = false;
            return resolve();
          }
          const finish = () => {
            clearTimeout(timer);
            options.signal?.removeEventListener("abort", finish);
            wake = null;
            pending = false;
            resolve();
          };
          const timer = setTimeout(finish, options.maxWaitMs);
          options.signal?.addEventListener("abort", finish, { once: true });
          wake = finish;
        }),
      close: unsubscribe,
    };
  }

  /** Resolves once LISTEN is in place (or rejects with the connection error, while retrying). */
  ensureConnected(): Promise<void> {
    if (this.closed) return Promise.reject(new Error("The notify bus is closed."));
    if (this.client) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const connectionString = this.connectionString();
    if (!connectionString) throw new Error("DATABASE_URL is not set.");
    const client = new pg.Client({ connectionString, application_name: this.applicationName, keepAlive: true });
    client.on("notification", (message) => {
      if (message.channel === this.channel && message.payload) this.emit(message.payload);
    });
    client.on("error", () => this.dropped(client));
    client.on("end", () => this.dropped(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(this.channel)}`);
    } catch (error) {
      client.removeAllListeners("end");
      await client.end().catch(() => undefined);
      this.scheduleReconnect();
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    const wasReconnect = this.failures > 0;
    this.failures = 0;
    // Notifications sent while the connection was down are lost: everyone re-reads.
    if (wasReconnect) this.emitAll();
  }

  private dropped(client: pg.Client) {
    if (this.client !== client) return;
    this.client = null;
    client.removeAllListeners();
    client.on("error", () => undefined);
    void client.end().catch(() => undefined);
    this.failures = Math.max(this.failures, 1);
    this.scheduleReconnect();
  }

  private scheduleReconnect() {
    if (this.closed || this.reconnectTimer) return;
    const delay = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** this.failures) * (0.5 + Math.random() / 2);
    this.failures += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.listeners.size > 0) this.ensureConnected().catch(() => undefined);
    }, delay);
    this.reconnectTimer.unref();
  }

  private emit(key: string) {
    for (const listener of this.listeners.get(key) ?? []) listener();
  }

  private emitAll() {
    for (const set of this.listeners.values()) for (const listener of set) listener();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Ends the connection for good (tests, shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners();
      client.on("error", () => undefined);
      await client.end().catch(() => undefined);
    }
  }

  /** For tests: drops the connection as a network failure would. */
  simulateConnectionLoss(): void {
    const client = this.client;
    if (client) client.emit("end");
  }
}

export interface Wakeups {
  /** Resolves once the bus listens, so that a later NOTIFY is sure to arrive. */
  ready(): Promise<void>;
  /** Resolves on the next wake-up for this key (or one already pending), on abort, or after maxWaitMs. */
  wait(options: { signal?: AbortSignal; maxWaitMs: number }): Promise<void>;
  close(): void;
}

const globalForBus = globalThis as unknown as { hearthEnvelopeBus?: NotifyBus };

/** The process's bus for `hearth_envelopes`, created on first use. */
export function envelopeBus(): NotifyBus {
  if (!globalForBus.hearthEnvelopeBus || globalForBus.hearthEnvelopeBus.isClosed)
    globalForBus.hearthEnvelopeBus = new NotifyBus(ENVELOPES_CHANNEL, () => serverEnv().DATABASE_URL);
  return globalForBus.hearthEnvelopeBus;
}
