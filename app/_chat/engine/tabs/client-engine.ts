// The other tabs' end of the bridge: the same interface as the engine, working through the owner
// tab. It mirrors the owner's views (snapshot, ringing calls, the threads this tab shows) and
// forwards commands by name; commands that must run where the keys are go to `runHere`, which
// moves the keys to this tab first (ChatTab.claim).
import { ChatEngineError } from "../chat-engine-error";
import { STARTING_SNAPSHOT } from "../starting-snapshot";
import { EMPTY_THREAD_VIEW, type ThreadView } from "../thread-cache";
import type { CallsView, ChatEngineCommands, ChatEngineView, ChatSnapshot } from "../types";
import type { BridgeMessage } from "./bridge-messages";
import { COMMAND_ROUTES, type AsyncCommandName } from "./command-routes";
import type { TabChannel } from "./tab-channel";
import { fromWire, toWire } from "./wire-values";

const NO_CALLS: CallsView = { incoming: [], open: null };

export interface ClientEngine extends ChatEngineView {
  stop(): void;
}

export function createClientEngine(channel: TabChannel, tab: string, runHere: (method: AsyncCommandName, args: unknown[]) => Promise<unknown>): ClientEngine {
  let snapshot: ChatSnapshot = STARTING_SNAPSHOT;
  let calls = NO_CALLS;
  const threads = new Map<string, ThreadView>();
  const listeners = new Set<() => void>();
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  // Commands given before an owner has answered wait for one (the owner tab may still be loading).
  let queued: Extract<BridgeMessage, { type: "command" }>[] = [];
  let ownerKnown = false;
  let nextId = 1;
  let stopped = false;

  const changed = () => listeners.forEach((listener) => listener());
  const sayHello = () => {
    channel.post({ type: "hello", tab });
    for (const conversationId of threads.keys()) channel.post({ type: "watch", tab, conversationId });
  };
  const ownerFound = () => {
    if (ownerKnown) return;
    ownerKnown = true;
    for (const command of queued) channel.post(command);
    queued = [];
  };
  // The owner went away with commands unanswered: they did not happen here, or not knowingly.
  const ownerLost = () => {
    ownerKnown = false;
    for (const { reject } of pending.values()) reject(new ChatEngineError("chat_tab_closed"));
    pending.clear();
  };

  const stopListening = channel.listen((message) => {
    switch (message.type) {
      case "owner-ready":
        ownerLost();
        sayHello();
        return;
      case "owner-gone":
        ownerLost();
        return;
      case "snapshot":
        snapshot = message.snapshot;
        ownerFound();
        changed();
        return;
      case "calls":
        calls = message.calls;
        changed();
        return;
      case "thread":
        if (!threads.has(message.conversationId)) return;
        threads.set(message.conversationId, message.view);
        changed();
        return;
      case "result": {
        if (message.tab !== tab) return;
        const waiting = pending.get(message.id);
        if (!waiting) return;
        pending.delete(message.id);
        if (message.ok) waiting.resolve(fromWire(message.value));
        else waiting.reject(new ChatEngineError(message.code));
        return;
      }
      default:
        return;
    }
  });

  const forward = (method: AsyncCommandName, args: unknown[]): Promise<unknown> => {
    if (stopped) return Promise.reject(new ChatEngineError("chat_tab_closed"));
    const command = { type: "command", tab, id: nextId++, method, args: toWire(args) as unknown[] } as const;
    return new Promise((resolve, reject) => {
      pending.set(command.id, { resolve, reject });
      if (ownerKnown) channel.post(command);
      else queued.push(command);
    });
  };

  const commands = Object.fromEntries(
    (Object.keys(COMMAND_ROUTES) as AsyncCommandName[]).map((method) => [
      method,
      COMMAND_ROUTES[method] === "forward" ? (...args: unknown[]) => forward(method, args) : (...args: unknown[]) => runHere(method, args),
    ]),
  ) as unknown as Pick<ChatEngineCommands, AsyncCommandName>;

  sayHello();
  return {
    ...commands,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => snapshot,
    messages(conversationId) {
      const view = threads.get(conversationId);
      if (view) return view;
      threads.set(conversationId, EMPTY_THREAD_VIEW);
      channel.post({ type: "watch", tab, conversationId });
      return EMPTY_THREAD_VIEW;
    },
    calls: () => calls,
    // The recovery key is never shown in this tab (the owner keeps it), so there is nothing to confirm here.
    confirmRecoveryKeySaved: () => undefined,
    stop() {
      stopped = true;
      stopListening();
      ownerLost();
    },
  };
}
