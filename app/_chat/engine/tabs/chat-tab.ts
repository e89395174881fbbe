// One tab's place among the person's tabs in this browser. The first to take the lock owns the
// keys: it runs the engine and hosts the bridge. Every other tab works through it with a client
// engine, waiting in line for the lock; when the owner closes, the next in line starts the engine
// from the same storage and takes over, and the remaining tabs follow the new owner's bridge.
// A command that must run where the person is (a call's media, a secret shown or typed there)
// moves the keys: the owner stops its engine and hands the lock over (claim), then it runs here.
import { ChatEngineError } from "../chat-engine-error";
import type { ChatEngineView } from "../types";
import type { BridgeMessage } from "./bridge-messages";
import { createClientEngine, type ClientEngine } from "./client-engine";
import type { AsyncCommandName } from "./command-routes";
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

/** How long a claim waits for the owner to hand over, asking again meanwhile (it may still be loading). */
const CLAIM_TIMEOUT_MS = 15_000;
const CLAIM_REPEAT_MS = 500;

export class ChatTab {
  private engine: OwnerEngine | ClientEngine | null = null;
  private host: EngineHost | null = null;
  private releaseLock: (() => void) | null = null;
  private leaveLine: AbortController | null = null;
  private readonly switched = new Set<(engine: ChatEngineView) => void>();
  private readonly becameOwner = new Set<() => void>();
  private readonly stopListening: () => void;
  private stopped = false;

  private constructor(private readonly options: ChatTabOptions) {
    this.stopListening = options.channel.listen((message) => void this.receive(message));
  }

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

  /** Calls `listener` with the new engine when this tab takes the keys over, or hands them to another tab. */
  onSwitch(listener: (engine: ChatEngineView) => void): () => void {
    this.switched.add(listener);
    return () => this.switched.delete(listener);
  }

  stop(): void {
    this.stopped = true;
    this.stopListening();
    this.leaveLine?.abort();
    this.host?.stop();
    this.engine?.stop();
    this.releaseLock?.();
    this.options.channel.close();
  }

  /** Moves the keys to this tab (the owner stops its engine first); resolves once this tab owns them. */
  async claim(): Promise<void> {
    if (this.owns) return;
    const owned = new Promise<void>((resolve) => this.becameOwner.add(resolve));
    const ask = () => this.options.channel.post({ type: "yield", tab: this.options.tab });
    ask();
    const asking = setInterval(ask, CLAIM_REPEAT_MS);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new ChatEngineError("chat_other_tab_only")), CLAIM_TIMEOUT_MS)));
    try {
      await Promise.race([owned, timeout]);
    } finally {
      clearInterval(asking);
      clearTimeout(timer);
    }
  }

  private get lockName(): string {
    return `hearth-chat:${this.options.userId}`;
  }

  private async receive(message: BridgeMessage): Promise<void> {
    if (this.stopped) return;
    if (message.type === "yield" && this.host && this.engine) return this.yieldTo(message.tab);
    if (message.type === "yielded" && message.to === this.options.tab && !this.owns) {
      const release = await this.options.lock.steal(this.lockName);
      if (this.stopped) return release();
      await this.takeOver(release);
    }
  }

  /** Stops the engine here and lets `tab` take the lock (this tab keeps it until then, so no third tab gets in between). */
  private yieldTo(tab: string): void {
    const engine = this.engine!;
    this.host!.stop();
    this.host = null;
    // Kept, not released: releasing would hand the lock to the first tab in line rather than `tab`.
    // Should `tab` never take it (closed meanwhile), it is let go after a while.
    const held = this.releaseLock;
    this.releaseLock = null;
    setTimeout(() => held?.(), CLAIM_TIMEOUT_MS);
    engine.stop();
    this.becomeClient();
    this.options.channel.post({ type: "yielded", owner: this.options.tab, to: tab });
    for (const listener of this.switched) listener(this.engine!);
  }

  private async becomeOwner(release: () => void): Promise<void> {
    this.releaseLock = release;
    const engine = await this.options.startOwner(() => this.releaseLock?.());
    if (this.stopped) return engine.stop();
    this.engine = engine;
    this.host = new EngineHost(engine, this.options.channel, this.options.tab);
    for (const resolve of this.becameOwner) resolve();
    this.becameOwner.clear();
  }

  private async takeOver(release: () => void): Promise<void> {
    this.leaveLine?.abort();
    this.leaveLine = null;
    this.engine?.stop();
    await this.becomeOwner(release);
    if (this.engine) for (const listener of this.switched) listener(this.engine);
  }

  private becomeClient(): void {
    const leaveLine = new AbortController();
    this.leaveLine = leaveLine;
    this.engine = createClientEngine(this.options.channel, this.options.tab, (method, args) => this.runHere(method, args));
    void this.options.lock.wait(this.lockName, leaveLine.signal).then((release) => {
      if (!release) return;
      if (this.stopped || leaveLine.signal.aborted) return release();
      void this.takeOver(release);
    });
  }

  /** A command that must run in this tab: the keys move here, and it runs once the engine has started. */
  private async runHere(method: AsyncCommandName, args: unknown[]): Promise<unknown> {
    await this.claim();
    const engine = this.engine!;
    await new Promise<void>((resolve) => {
      const started = () => engine.getSnapshot().status.kind !== "starting";
      if (started()) return resolve();
      const unsubscribe = engine.subscribe(() => {
        if (!started()) return;
        unsubscribe();
        resolve();
      });
    });
    const command = engine[method] as (...args: unknown[]) => Promise<unknown>;
    return command.apply(engine, args);
  }
}
