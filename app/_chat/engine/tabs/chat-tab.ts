// One tab's place among the person's tabs in this browser. The first to take the lock owns the
// keys: it runs the engine and hosts the bridge. Every other tab works through it with a client
// engine, waiting in line for the lock; when the owner closes, the next in line starts the engine
// from the same storage and takes over, and the remaining tabs follow the new owner's bridge.
import type { ChatEngineView } from "../types";
import { createClientEngine, type ClientEngine } from "./client-engine";
import { EngineHost } from "./engine-host";
import type { TabChannel } from "./tab-channel";
import type { TabLock } from "./tab-lock";

export interface OwnerEngine extends ChatEngineView {
  stop(): void;
}

export interface ChatTabOptions {
  userId: string;
  /** This tab's id on the channel. */
  tab: string;
  lock: TabLock;
  channel: TabChannel;
  /** Starts the engine that owns the keys; the lock is held (`release` lets it go, as the engine's stop does). */
  startOwner(release: () => void): Promise<OwnerEngine>;
}

export class ChatTab {
  private engine: OwnerEngine | ClientEngine | null = null;
  private host: EngineHost | null = null;
  private readonly switched = new Set<(engine: ChatEngineView) => void>();
  private readonly leaveLine = new AbortController();
  private stopped = false;

  private constructor(private readonly options: ChatTabOptions) {}

  /** Resolves once this tab runs as the owner or as a client. */
  static async start(options: ChatTabOptions): Promise<ChatTab> {
    const tab = new ChatTab(options);
    const release = await options.lock.take(tab.lockName);
    if (release) await tab.becomeOwner(release);
    else tab.becomeClient();
    return tab;
  }

  get current(): ChatEngineView {
    if (!this.engine) throw new Error("ChatTab used before it started");
    return this.engine;
  }

  /** Whether this tab holds the keys. */
  get owns(): boolean {
    return this.host !== null;
  }

  /** Calls `listener` with the new engine when this tab takes over from a closed owner. */
  onSwitch(listener: (engine: ChatEngineView) => void): () => void {
    this.switched.add(listener);
    return () => this.switched.delete(listener);
  }

  stop(): void {
    this.stopped = true;
    this.leaveLine.abort();
    this.host?.stop();
    this.engine?.stop();
    this.options.channel.close();
  }

  private get lockName(): string {
    return `hearth-chat:${this.options.userId}`;
  }

  private async becomeOwner(release: () => void): Promise<void> {
    const engine = await this.options.startOwner(release);
    if (this.stopped) return engine.stop();
    this.engine = engine;
    this.host = new EngineHost(engine, this.options.channel, this.options.tab);
  }

  private becomeClient(): void {
    const client = createClientEngine(this.options.channel, this.options.tab);
    this.engine = client;
    void this.options.lock.wait(this.lockName, this.leaveLine.signal).then(async (release) => {
      if (!release) return;
      if (this.stopped) return release();
      client.stop();
      await this.becomeOwner(release);
      if (this.engine) for (const listener of this.switched) listener(this.engine);
    });
  }
}
