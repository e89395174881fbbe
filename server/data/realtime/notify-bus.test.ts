// The notify bus against the real test database: NOTIFY reaches the subscriber of its key only,
// and after the connection is killed the bus reconnects, wakes everyone (notifications may have
// been lost) and receives again.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverEnv } from "../../env";
import { NotifyBus } from "./notify-bus";

const channel = `hearth_test_${randomUUID().replaceAll("-", "")}`;
const applicationName = `hearth-bus-test-${randomUUID().slice(0, 8)}`;
let bus: NotifyBus;
let sender: pg.Client;

beforeAll(async () => {
  bus = new NotifyBus(channel, () => serverEnv().DATABASE_URL, applicationName);
  sender = new pg.Client({ connectionString: serverEnv().DATABASE_URL });
  await sender.connect();
});

afterAll(async () => {
  await bus.close();
  await sender.end();
});

const notify = (key: string) => sender.query("SELECT pg_notify($1, $2)", [channel, key]);

function nextWake(wakeups: ReturnType<NotifyBus["wakeups"]>, ms = 3_000): Promise<"woken" | "timeout"> {
  const started = Date.now();
  return wakeups.wait({ maxWaitMs: ms }).then(() => (Date.now() - started < ms ? "woken" : "timeout"));
}

describe("the notify bus", () => {
  it("wakes the subscribers of a key, and remembers a wake-up that came before the wait", async () => {
    const a = bus.wakeups("device-a");
    const b = bus.wakeups("device-b");
    await a.ready();
    const waitingA = nextWake(a);
    await notify("device-a");
    expect(await waitingA).toBe("woken");
    expect(await nextWake(b, 300)).toBe("timeout");

    await notify("device-b");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await nextWake(b, 2_000)).toBe("woken");
    a.close();
    b.close();
  });

  it("reconnects after its connection is killed, and wakes everyone when it does", async () => {
    const a = bus.wakeups("device-c");
    await a.ready();
    const reconnected = nextWake(a, 10_000);
    const killed = await sender.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [applicationName]);
    expect(killed.rowCount).toBe(1);
    expect(await reconnected).toBe("woken");

    await a.ready();
    const waiting = nextWake(a);
    await notify("device-c");
    expect(await waiting).toBe("woken");
    a.close();
  });
});
