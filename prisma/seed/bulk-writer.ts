// Fast inserts without COPY: one `INSERT … SELECT * FROM unnest($1::uuid[], $2::text[], …)` per
// batch, one array parameter per column, so a batch of thousands of rows is one round trip and one
// plan. At most two batches are in flight on the connection (pg runs them in order), so building
// the next batch in JavaScript overlaps with PostgreSQL writing the previous one.
import type pg from "pg";

export type ColumnType = "uuid" | "text" | "timestamptz" | "boolean" | "int" | "smallint";
export type Column = readonly [name: string, type: ColumnType];

const MAX_IN_FLIGHT = 2;

export class BulkWriter {
  private readonly inFlight: Promise<unknown>[] = [];
  private written = 0;

  constructor(private readonly client: pg.Client) {}

  /** Queues one batch; waits only when two batches are already in flight. */
  async insert(table: string, columns: readonly Column[], rows: readonly (readonly unknown[])[], suffix = ""): Promise<void> {
    if (rows.length === 0) return;
    const arrays = columns.map((_, c) => rows.map((row) => row[c] ?? null));
    const names = columns.map(([name]) => `"${name}"`).join(", ");
    const params = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(", ");
    const sql = `INSERT INTO "${table}" (${names}) SELECT * FROM unnest(${params}) ${suffix}`;
    while (this.inFlight.length >= MAX_IN_FLIGHT) await this.inFlight.shift();
    const query = this.client.query(sql, arrays);
    // Marked handled now; the error still surfaces when this promise is awaited below.
    query.catch(() => undefined);
    this.inFlight.push(query);
    this.written += rows.length;
  }

  /** Waits for every queued batch; rethrows the first failure. */
  async flush(): Promise<void> {
    while (this.inFlight.length) await this.inFlight.shift();
  }

  get rowsWritten(): number {
    return this.written;
  }
}
