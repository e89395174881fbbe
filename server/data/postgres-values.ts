// What PostgreSQL accepts as a parameter, so that a value from a client is refused as a 400 at the
// edge (server/api/input-schemas.ts) or by a cursor decoder, never by the database as a 500.

/**
 * Timestamps with a four-digit year. PostgreSQL refuses years before 4713 BC, and a JavaScript Date
 * reaches 271821 BC; years past 9999 would work but mean nothing here and are not valid ISO 8601.
 */
export const TIMESTAMP_RANGE = {
  min: new Date("0001-01-01T00:00:00.000Z"),
  max: new Date("9999-12-31T23:59:59.999Z"),
} as const;

export function isPostgresTimestamp(date: Date): boolean {
  const time = date.getTime();
  return time >= TIMESTAMP_RANGE.min.getTime() && time <= TIMESTAMP_RANGE.max.getTime();
}

/** A UUID as PostgreSQL's `::uuid` cast accepts it from our own encoders (lower-case, hyphenated). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
