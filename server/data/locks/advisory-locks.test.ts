// Two app instances on one database: a sweeper or an export held by one is not run by the other,
// and an instance that dies frees what it held at once (its connection's locks go with it).
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { requeueInterruptedExports } from "../../jobs/run-export-jobs";
import { serverEnv } from "../../env";
import { signedUpPerson } from "../../testing/test-browser";
import { db } from "../db";
import { AdvisoryLocks, advisoryLocks, runExclusively } from "./advisory-locks";

/** Another instance's lock connection. */
const otherInstance = new AdvisoryLocks();

afterAll(async () => {
  await otherInstance.close();
  await advisoryLocks().close();
});

describe("advisory locks across instances", () => {
  it("lets one instance run a sweeper while the other skips its turn, then take over once it is free", async () => {
    const name = `sweeper:test-${Math.random()}`;
    expect(await otherInstance.tryLock(name)).toBe(true);
    let ran = 0;
    expect(await runExclusively(name, async () => ran++)).toBe(false);
    expect(ran).toBe(0);
    await otherInstance.unlock(name);
    expect(await runExclusively(name, async () => ran++)).toBe(true);
    expect(ran).toBe(1);
    // Released after the run, failing or not.
    await expect(runExclusively(name, () => Promise.reject(new Error("sweep failed")))).rejects.toThrow("sweep failed");
    expect(await otherInstance.tryLock(name)).toBe(true);
    await otherInstance.unlock(name);
  });

  it("frees an instance's locks when it dies, so the survivor sweeps at its next turn", async () => {
    const dying = new AdvisoryLocks();
    const name = `sweeper:dies-${Math.random()}`;
    expect(await dying.tryLock(name)).toBe(true);
    expect(await runExclusively(name, async () => undefined)).toBe(false);
    await dying.close(); // as a SIGKILL closes its socket
    expect(await runExclusively(name, async () => undefined)).toBe(true);
  });

  it("puts back in the queue an export whose builder died, never one a live instance is building", async () => {
    const person = await signedUpPerson();
    const job = await db().exportJob.create({ data: { userId: person.id, status: "running", progress: 40 } });
    // A live builder on another instance holds the job's lock on its connection.
    const builder = new pg.Client({ connectionString: serverEnv().DATABASE_URL });
    await builder.connect();
    await builder.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [`export:${job.id}`]);
    await requeueInterruptedExports();
    expect(await db().exportJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "running", progress: 40 });
    await builder.end(); // that instance dies
    await requeueInterruptedExports();
    expect(await db().exportJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "queued", progress: 0 });
    await db().exportJob.delete({ where: { id: job.id } });
  });
});
