// The service worker's push and notificationclick handlers, and the storage secret it holds in
// memory while Messages is in use offline, run from the worker file itself in a FAKE
// ServiceWorkerGlobalScope (windows, notifications, waitUntil, caches): no browser lets a test click a
// notification (e2e/chat/install-and-push.spec.ts delivers a real push to the worker in Chromium;
// e2e/chat/offline.spec.ts moves between pages offline without being asked again).
import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";

interface FakeWindow {
  url: string;
  visibilityState: "visible" | "hidden";
  focused: number;
  focus(): Promise<FakeWindow>;
}

function fakeWindow(path: string, visibilityState: "visible" | "hidden"): FakeWindow {
  const window: FakeWindow = {
    url: `https://hearth.example${path}`,
    visibilityState,
    focused: 0,
    focus: async () => {
      window.focused += 1;
      return window;
    },
  };
  return window;
}

const chatPage = { type: "window", url: "https://hearth.example/chat/@bob" };

/** Loads the worker into a fake scope with these windows open; returns a way to fire its events and what it did. */
function startWorker(windows: FakeWindow[]) {
  const listeners = new Map<string, (event: unknown) => void>();
  const shown: { title: string; options: { body: string; tag: string; data: unknown } }[] = [];
  const opened: string[] = [];
  const cacheWrites: string[] = [];
  const scope = {
    location: new URL("https://hearth.example/chat/sw.js"),
    // Every way into Cache Storage records itself: the held secret must never get there.
    caches: new Proxy(
      {},
      {
        get:
          (_target, name: string) =>
          (...args: unknown[]) =>
            void cacheWrites.push(`${name}(${String(args[0])})`),
      },
    ),
    addEventListener: (type: string, listener: (event: unknown) => void) => listeners.set(type, listener),
    registration: { showNotification: async (title: string, options: (typeof shown)[number]["options"]) => void shown.push({ title, options }) },
    clients: {
      matchAll: async (query: { type: string; includeUncontrolled: boolean }) => (query.type === "window" && query.includeUncontrolled ? windows : []),
      openWindow: async (url: string) => void opened.push(url),
    },
  };
  runInNewContext(readFileSync("app/_chat/pwa/service-worker.js", "utf8"), { self: scope, caches: scope.caches, URL, console });
  async function fire(type: string, event: object) {
    const waits: Promise<unknown>[] = [];
    listeners.get(type)!({ ...event, waitUntil: (promise: Promise<unknown>) => waits.push(promise) });
    await Promise.all(waits);
  }
  const push = (payload: unknown) => fire("push", { data: { json: () => payload } });
  const pushUnreadable = () =>
    fire("push", {
      data: {
        json: () => {
          throw new SyntaxError("not JSON");
        },
      },
    });
  const pushEmpty = () => fire("push", { data: null });
  const click = async () => {
    let closed = false;
    await fire("notificationclick", { notification: { close: () => (closed = true) } });
    return closed;
  };
  /** A message from `source` (a window at that path, or another kind of client); the answer through a MessageChannel port, if any. */
  async function message(data: object, source: { type: string; url: string } | null = chatPage): Promise<unknown> {
    let answer: unknown = undefined;
    const port = { postMessage: (reply: unknown) => (answer = reply) };
    await fire("message", { data, origin: "https://hearth.example", source, ports: [port] });
    return answer;
  }
  return { push, pushUnreadable, pushEmpty, click, shown, opened, message, fire, cacheWrites };
}

describe("a wake-up push", () => {
  it("shows one sentence in the device's language, without sender or content, one notification at a time", async () => {
    const worker = startWorker([fakeWindow("/", "visible")]);
    await worker.push({ v: 1, lang: "de" });
    await worker.push({ v: 1, lang: "en", from: "mallory", text: "not shown" });
    expect(worker.shown).toEqual([
      { title: "Hearth Nachrichten", options: expect.objectContaining({ body: "Du hast eine neue Nachricht", tag: "hearth-new-message" }) },
      { title: "Hearth Messages", options: expect.objectContaining({ body: "You have a new message", tag: "hearth-new-message" }) },
    ]);
  });

  it("shows the English sentence for a payload it cannot read", async () => {
    const worker = startWorker([]);
    await worker.pushUnreadable();
    await worker.pushEmpty();
    expect(worker.shown.map((n) => n.options.body)).toEqual(["You have a new message", "You have a new message"]);
  });

  it("shows nothing while a Messages window is in view, and does once it is hidden", async () => {
    const inView = startWorker([fakeWindow("/chat/@alice", "visible")]);
    await inView.push({ v: 1, lang: "en" });
    expect(inView.shown).toEqual([]);
    const hidden = startWorker([fakeWindow("/chat/@alice", "hidden"), fakeWindow("/chatter", "visible")]);
    await hidden.push({ v: 1, lang: "en" });
    expect(hidden.shown).toHaveLength(1);
  });
});

describe("a click on the notification", () => {
  it("closes it and brings forward the Messages window in view rather than another", async () => {
    const behind = fakeWindow("/chat/settings", "hidden");
    const inView = fakeWindow("/chat", "visible");
    const worker = startWorker([fakeWindow("/", "visible"), behind, inView]);
    expect(await worker.click()).toBe(true);
    expect([inView.focused, behind.focused]).toEqual([1, 0]);
    expect(worker.opened).toEqual([]);
  });

  it("brings forward a Messages window behind others", async () => {
    const behind = fakeWindow("/chat/group/0193a5e2-7c4b-7d1e-8f00-123456789abc", "hidden");
    const worker = startWorker([fakeWindow("/home", "visible"), behind]);
    await worker.click();
    expect(behind.focused).toBe(1);
    expect(worker.opened).toEqual([]);
  });

  it("opens Messages when no window shows it (a social page is not Messages)", async () => {
    const social = fakeWindow("/", "visible");
    const worker = startWorker([social]);
    expect(await worker.click()).toBe(true);
    expect(worker.opened).toEqual(["/chat"]);
    expect(social.focused).toBe(0);
  });
});

describe("the storage secret held while Messages is in use", () => {
  const secret = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
  const ask = (database: string) => ({ type: "held-secret", database });

  it("answers a Messages page with the secret a Messages page handed over, for that database only, and writes nothing to the caches", async () => {
    const worker = startWorker([]);
    expect(await worker.message(ask("alice"))).toEqual({ secret: null });
    await worker.message({ type: "hold-secret", database: "alice", secret });
    await worker.message({ type: "keep-alive" });
    const answer = (await worker.message(ask("alice"), { type: "window", url: "https://hearth.example/chat" })) as { secret: Uint8Array };
    expect([...answer.secret]).toEqual([...secret]);
    expect(await worker.message(ask("bob"))).toEqual({ secret: null });
    expect(worker.cacheWrites).toEqual([]);
  });

  it("answers nothing to a page outside Messages, another origin or a worker, and takes nothing from them", async () => {
    const worker = startWorker([]);
    await worker.message({ type: "hold-secret", database: "alice", secret });
    for (const source of [
      { type: "window", url: "https://hearth.example/" },
      { type: "window", url: "https://hearth.example/chatter" },
      { type: "window", url: "https://evil.example/chat" },
      { type: "worker", url: "https://hearth.example/chat/worker.js" },
    ]) {
      expect(await worker.message(ask("alice"), source)).toBeUndefined();
      await worker.message({ type: "hold-secret", database: "mallory", secret }, source);
    }
    expect(await worker.message(ask("mallory"))).toEqual({ secret: null });
    // A message from another origin is not even read.
    let answered = false;
    await worker.fire("message", { data: ask("alice"), origin: "https://evil.example", source: chatPage, ports: [{ postMessage: () => (answered = true) }] });
    expect(answered).toBe(false);
  });

  it("keeps only a 32-byte secret", async () => {
    const worker = startWorker([]);
    await worker.message({ type: "hold-secret", database: "alice", secret: new Uint8Array(16) });
    await worker.message({ type: "hold-secret", database: "bob", secret: "not bytes" });
    expect(await worker.message(ask("alice"))).toEqual({ secret: null });
    expect(await worker.message(ask("bob"))).toEqual({ secret: null });
  });

  it("forgets one database's secret when its passphrase is turned off or changed, and every one on log-out (from any page of the origin)", async () => {
    const worker = startWorker([]);
    await worker.message({ type: "hold-secret", database: "alice", secret });
    await worker.message({ type: "hold-secret", database: "bob", secret });
    await worker.message({ type: "forget-secret", database: "alice" });
    expect(await worker.message(ask("alice"))).toEqual({ secret: null });
    expect(await worker.message(ask("bob"))).not.toEqual({ secret: null });
    await worker.message({ type: "forget-secret" }, { type: "window", url: "https://hearth.example/" });
    expect(await worker.message(ask("bob"))).toEqual({ secret: null });
  });

  it("starts with nothing held: a worker the browser stopped has forgotten", async () => {
    const before = startWorker([]);
    await before.message({ type: "hold-secret", database: "alice", secret });
    expect(await startWorker([]).message(ask("alice"))).toEqual({ secret: null });
  });
});
