// What crosses the channel between the owner tab (which holds the keys and runs the engine) and
// the other tabs. Views are the owner's snapshots with every secret taken out (see engine-host.ts);
// commands name a method of COMMAND_ROUTES. No key, passphrase or recovery key is ever in here.
import type { ThreadView } from "../thread-cache";
import type { CallsView, ChatSnapshot } from "../types";

export type BridgeMessage =
  /** A tab without the keys asks for the current views (on start, and when a new owner says it is ready). */
  | { type: "hello"; tab: string }
  /** The owner has started (or a tab took over from a closed owner): tabs say hello again. */
  | { type: "owner-ready"; owner: string }
  /** The owner is closing. */
  | { type: "owner-gone"; owner: string }
  | { type: "snapshot"; owner: string; snapshot: ChatSnapshot }
  | { type: "calls"; owner: string; calls: CallsView }
  /** A tab shows this conversation: the owner sends its thread now and on every change. */
  | { type: "watch"; tab: string; conversationId: string }
  | { type: "thread"; owner: string; conversationId: string; view: ThreadView }
  | { type: "command"; tab: string; id: number; method: string; args: unknown[] }
  /** A tab needs the keys itself (a call's media, a secret shown or typed there): the owner stops its engine and hands over. */
  | { type: "yield"; tab: string }
  /** The owner has stopped its engine for `to`, which now takes the lock from it. */
  | { type: "yielded"; owner: string; to: string }
  | { type: "result"; tab: string; id: number; ok: true; value: unknown }
  | { type: "result"; tab: string; id: number; ok: false; code: string };
