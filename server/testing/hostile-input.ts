// Hostile input derived from a procedure's zod input schema (through its JSON Schema, which zod 4
// writes for the input side of every schema): values of the right shape with hostile leaves, the
// wrong types, and fixed lists of nasty strings, numbers and dates for every leaf. Tests only.
import fc from "fast-check";
import { z } from "zod";

/** The part of JSON Schema that z.toJSONSchema writes for Hearth's inputs. */
export interface JsonSchema {
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean" | "null";
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  not?: JsonSchema;
}

/** The input side of a zod schema; what zod cannot write (a coerced date) becomes `{}`, any value. */
export function inputJsonSchema(parser: unknown): JsonSchema {
  return z.toJSONSchema(parser as z.ZodType, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

/** Real ids and handles of the test's world, so that shapes that pass validation reach the data layer. */
export interface HostileWorld {
  ids: readonly string[];
  handles: readonly string[];
}

export const NIL_UUID = "00000000-0000-0000-0000-000000000000";
export const MAX_UUID = "ffffffff-ffff-ffff-ffff-ffffffffffff";
const MEGABYTE = 1024 * 1024;

const base64url = (text: string | Uint8Array) => Buffer.from(text).toString("base64url");
const jsonCursor = (value: unknown) => base64url(JSON.stringify(value));

/** Strings no one types: NUL, lone surrogates, bidi and invisible controls, SQL and LIKE syntax, 1 MB. */
export const HOSTILE_STRINGS: readonly string[] = [
  "",
  " ",
  "\t\r\n",
  "\u0000",
  "a\u0000b",
  "\uD800",
  "\uDFFF",
  "x\uDC00\uD800y",
  "\u202Egnp.exe",
  "\u2066\u2069\u200F",
  "\u200B\uFEFF\u00AD",
  "\u0007\u001B[31m",
  "\u0085\u2028\u2029",
  "%",
  "_",
  "\\",
  "%_\\%\\_",
  "'; DROP TABLE users; --",
  "' OR '1'='1",
  "$1::uuid",
  "!(a & | b) <-> :* 'c'",
  '"unterminated -not or',
  "<script>alert(1)</script>",
  "../../../etc/passwd",
  "__proto__",
  "constructor",
  "-".repeat(36),
  "- ".repeat(100),
  NIL_UUID,
  MAX_UUID.toUpperCase(),
  "\u212Aelvin",
  "\u0130stanbul",
  "ﬀ".repeat(40),
  "Z\u0335\u0321\u032A\u034E\u0344a\u0335l\u0337g\u0336o".repeat(20),
  "\u0301".repeat(100_000),
  "👩‍👩‍👧‍👦".repeat(2_000),
  "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}",
  "9".repeat(400),
  "a".repeat(MEGABYTE),
  "é".repeat(MEGABYTE / 2),
  "😀".repeat(MEGABYTE / 4),
  "A".repeat(MEGABYTE),
];

/** Numbers at and past every edge: negative, unsafe, not finite, the largest doubles. */
export const HOSTILE_NUMBERS: readonly number[] = [
  -1,
  0,
  -0,
  0.5,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  -(2 ** 53),
  2 ** 53 + 2,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e308,
  -1e308,
  NaN,
  Infinity,
  -Infinity,
];

/** Points in time at the edges of JavaScript's range (±8.64e15 ms) and of PostgreSQL's, as dates, strings and numbers. */
export const HOSTILE_DATES: readonly unknown[] = [
  new Date(8.64e15),
  new Date(-8.64e15),
  new Date(NaN),
  new Date("0001-01-01T00:00:00.000Z"),
  new Date("9999-12-31T23:59:59.999Z"),
  new Date(-1),
  "+275760-09-13T00:00:00.000Z",
  "-271821-04-20T00:00:00.000Z",
  "+275760-09-13T00:00:00.001Z",
  "0000-12-31T23:59:59.999Z",
  "10000-01-01T00:00:00.000Z",
  "-004713-11-24T00:00:00.000Z",
  "2024-02-30T25:61:61Z",
  "infinity",
  "now",
  8.64e15,
  -8.64e15,
  8.64e15 + 1,
  1e308,
];

/** Page cursors a client can forge: base64url that decodes to wrong shapes, the range's edges, not-UUIDs, junk bytes. */
export const HOSTILE_CURSORS: readonly string[] = [
  jsonCursor([new Date(8.64e15).toISOString(), NIL_UUID, NIL_UUID]),
  jsonCursor([new Date(-8.64e15).toISOString(), NIL_UUID, NIL_UUID]),
  jsonCursor(["9999-12-31T23:59:59.999Z", MAX_UUID, MAX_UUID]),
  jsonCursor(["0001-01-01T00:00:00.000Z", NIL_UUID, NIL_UUID]),
  jsonCursor(["2024-01-01T00:00:00.000Z", "-".repeat(36), NIL_UUID]),
  jsonCursor([8.64e15, NIL_UUID, NIL_UUID]),
  jsonCursor([null, null, null]),
  jsonCursor([]),
  jsonCursor({}),
  jsonCursor("2024-01-01"),
  jsonCursor({ rank: 1e308, id: NIL_UUID }),
  jsonCursor({ rank: -1e308, id: MAX_UUID }),
  jsonCursor({ rank: 5e-324, id: NIL_UUID }),
  jsonCursor({ rank: "1", id: NIL_UUID }),
  jsonCursor({ rank: 1, id: "-".repeat(36) }),
  base64url('{"rank":1e999,"id":"00000000-0000-0000-0000-000000000000"}'),
  base64url('{"rank":-1e999,"id":"00000000-0000-0000-0000-000000000000"}'),
  base64url('{"__proto__":{"rank":1},"id":"00000000-0000-0000-0000-000000000000"}'),
  base64url("[".repeat(300)),
  base64url(new Uint8Array([0xff, 0xfe, 0x00, 0xc3, 0x28, 0xa0, 0xa1])),
  "-".repeat(36),
  "_".repeat(500),
  "A".repeat(500),
  "A",
  "-",
];

function deeplyNested(depth: number, wrap: (inner: unknown) => unknown): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < depth; i++) value = wrap(value);
  return value;
}

/** Values of every wrong type: nothing, containers, 1,000-deep nesting, 100,000 items, and values only a transformer could carry (Hearth sends plain JSON; a procedure must refuse them all the same). */
export const WRONG_TYPES: readonly unknown[] = [
  null,
  undefined,
  true,
  0,
  -1,
  NaN,
  "string",
  [],
  {},
  [null],
  { a: 1 },
  deeplyNested(1_000, (inner) => ({ a: inner })),
  deeplyNested(1_000, (inner) => [inner]),
  Array.from({ length: 100_000 }, () => "a"),
  JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'),
  Object.create(null),
  10n ** 30n,
  new Date(NaN),
  new Map([["a", 1]]),
  new Set([1]),
  /a+$/,
  new Error("boom"),
  new URL("http://example.com/"),
  new Uint8Array(4),
  { length: 1e9 },
];

/** What a leaf of this schema gets when it is hostile: same type, worst values. */
function hostileLeaf(schema: JsonSchema): fc.Arbitrary<unknown> {
  switch (schema.type) {
    case "string":
      return schema.pattern === BASE64URL_PATTERN && schema.maxLength === CURSOR_MAX_LENGTH
        ? fc.constantFrom(...HOSTILE_CURSORS, ...HOSTILE_STRINGS)
        : fc.constantFrom(...HOSTILE_STRINGS);
    case "integer":
    case "number":
      return fc.constantFrom(...HOSTILE_NUMBERS);
    case "array": {
      const items = schema.items ?? {};
      const over = (schema.maxItems ?? 100) + 1;
      return fc.oneof(
        fc.array(shaped(items, EMPTY_WORLD, false), { minLength: over, maxLength: over }),
        fc.array(shaped(items, EMPTY_WORLD, false), { minLength: 2, maxLength: 2 }).map((two) => [two[0], two[0], two[1]]),
      );
    }
    case undefined:
      return schema.properties || schema.anyOf ? fc.constantFrom(...WRONG_TYPES) : fc.constantFrom(...HOSTILE_DATES, ...HOSTILE_NUMBERS);
    default:
      return fc.constantFrom(...WRONG_TYPES);
  }
}

const BASE64URL_PATTERN = "^[A-Za-z0-9_-]*$";
/** ZCursorSchema's length; other base64url fields are bytes. */
const CURSOR_MAX_LENGTH = 500;
const EMPTY_WORLD: HostileWorld = { ids: [NIL_UUID], handles: ["nobody"] };

/** A value of the schema's shape; with `hostile`, any node may instead be a hostile leaf or a wrong type. */
function shaped(schema: JsonSchema, world: HostileWorld, hostile: boolean): fc.Arbitrary<unknown> {
  const valid = validShape(schema, world, hostile);
  if (!hostile) return valid;
  return fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: hostileLeaf(schema), weight: 2 }, { arbitrary: fc.constantFrom(...WRONG_TYPES), weight: 1 });
}

function validShape(schema: JsonSchema, world: HostileWorld, hostile: boolean): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((branch) => shaped(branch, world, hostile)));
  if (schema.not) return fc.constant(undefined);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case "object": {
      const model = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, property]) => [key, shaped(property, world, hostile)]));
      return fc.record(model, { requiredKeys: schema.required ?? [] });
    }
    case "array": {
      const minLength = schema.minItems ?? 0;
      return fc.array(shaped(schema.items ?? {}, world, hostile), { minLength, maxLength: Math.max(minLength, Math.min(schema.maxItems ?? 4, 4)) });
    }
    case "string":
      return validString(schema, world);
    case "integer":
    case "number": {
      const min = schema.minimum ?? -(2 ** 31);
      const max = schema.maximum ?? 2 ** 31;
      return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max, min - 1, max + 1));
    }
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    default:
      // `{}`: any value; Hearth's only such input is a coerced date.
      return fc.oneof(
        fc.date({ noInvalidDate: false }),
        fc.date().map((d) => d.toISOString()),
        fc.integer(),
      );
  }
}

function validString(schema: JsonSchema, world: HostileWorld): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 64;
  if (schema.format === "uuid") {
    return fc.oneof(
      fc.constantFrom(...world.ids, NIL_UUID, MAX_UUID),
      fc.uuid({ version: [4, 7] }),
      fc.uuid().map((id) => id.toUpperCase()),
    );
  }
  if (schema.pattern === BASE64URL_PATTERN) {
    if (max === CURSOR_MAX_LENGTH) return fc.oneof(fc.constant(""), fc.constantFrom(...HOSTILE_CURSORS));
    // zBytes: the exact sizes are the interesting ones (keys, signatures); the most is the longest that fits.
    const mostBytes = Math.floor((max * 3) / 4);
    const size = fc.oneof(fc.integer({ min: 0, max: mostBytes }), fc.constantFrom(mostBytes, mostBytes + 1, 1, 16, 33, 64));
    // What the bytes are matters less than how many: one random byte repeated keeps large sizes cheap.
    return fc.tuple(size, fc.integer({ min: 0, max: 255 })).map(([n, byte]) => base64url(new Uint8Array(n).fill(byte)));
  }
  if (schema.pattern) {
    const matching = fc
      .stringMatching(new RegExp(schema.pattern))
      .map((text) => text.slice(0, max))
      .filter((text) => text.length >= min);
    return fc.oneof(matching, fc.constantFrom(...world.handles));
  }
  return fc.oneof(
    fc.string({ unit: "grapheme", minLength: min, maxLength: Math.min(max, 40) }),
    fc.string({ unit: "binary", minLength: min, maxLength: Math.min(max, 40) }),
    fc.constantFrom("a".repeat(Math.max(min, 1)), "a".repeat(max), "a".repeat(max + 1), "👩‍💻".repeat(max)),
  );
}

/** Mostly well-shaped values whose leaves, anywhere in the tree, may be hostile or of the wrong type. */
export function hostileInput(schema: JsonSchema, world: HostileWorld): fc.Arbitrary<unknown> {
  return shaped(schema, world, true);
}

/** Well-shaped values only (a baseline to plant one nasty leaf in). */
export function shapedInput(schema: JsonSchema, world: HostileWorld): fc.Arbitrary<unknown> {
  return shaped(schema, world, false);
}

/** A step into a value: a property, the first item of an array, or a branch of an anyOf. */
type Step = { property: string } | { item: true } | { branch: number };
export interface Leaf {
  path: Step[];
  schema: JsonSchema;
}

/** Every leaf of the schema (strings, numbers, any-values), with the path to it. */
export function leavesOf(schema: JsonSchema, path: Step[] = []): Leaf[] {
  if (schema.anyOf) return schema.anyOf.flatMap((branch, index) => leavesOf(branch, [...path, { branch: index }]));
  if (schema.type === "object") {
    return Object.entries(schema.properties ?? {}).flatMap(([property, child]) => leavesOf(child, [...path, { property }]));
  }
  if (schema.type === "array") return leavesOf(schema.items ?? {}, [...path, { item: true }]);
  if (schema.not || schema.enum || schema.type === "boolean" || schema.type === "null") return [];
  return [{ path, schema }];
}

/** Well-shaped values with `value` planted at `path` (arrays on the way get at least one item). */
export function inputWithLeaf(schema: JsonSchema, world: HostileWorld, path: Step[], value: unknown): fc.Arbitrary<unknown> {
  const [step, ...rest] = path;
  if (!step) return fc.constant(value);
  if ("branch" in step) return inputWithLeaf(schema.anyOf![step.branch]!, world, rest, value);
  if ("item" in step) {
    const item = inputWithLeaf(schema.items ?? {}, world, rest, value);
    return fc.tuple(item, fc.array(shapedInput(schema.items ?? {}, world), { maxLength: 2 })).map(([planted, others]) => [planted, ...others]);
  }
  const properties = schema.properties ?? {};
  const model = Object.fromEntries(
    Object.entries(properties).map(([key, child]) => [key, key === step.property ? inputWithLeaf(child, world, rest, value) : shapedInput(child, world)]),
  );
  return fc.record(model, { requiredKeys: [...new Set([...(schema.required ?? []), step.property])] });
}

/** The nasty values a leaf of this schema is tried with, every one of them. */
export function nastyValuesFor(schema: JsonSchema): readonly unknown[] {
  if (schema.type === "string") {
    const cursors = schema.pattern === BASE64URL_PATTERN && schema.maxLength === CURSOR_MAX_LENGTH ? HOSTILE_CURSORS : [];
    return [...HOSTILE_STRINGS, ...cursors, 42, null, ["a"], { toString: "a" }];
  }
  if (schema.type === "integer" || schema.type === "number") return [...HOSTILE_NUMBERS, "1", null, [1], true];
  return [...HOSTILE_DATES, ...HOSTILE_NUMBERS, "", null, [], { a: 1 }, 10n ** 30n];
}

/** A short description of a value for a failure message: long strings and deep trees are cut. */
export function describeValue(value: unknown, depth = 0): string {
  if (typeof value === "string") {
    const shown = JSON.stringify(value.length > 60 ? value.slice(0, 60) : value);
    return value.length > 60 ? `${shown}…(${value.length} chars)` : shown;
  }
  if (typeof value === "bigint") return `${value}n`;
  if (value === undefined || value === null || typeof value !== "object") return String(value);
  if (depth > 3) return "…";
  if (value instanceof Date) return `Date(${value.getTime()})`;
  if (Array.isArray(value)) {
    const shown = value.slice(0, 5).map((item) => describeValue(item, depth + 1));
    return `[${shown.join(", ")}${value.length > 5 ? `, …(${value.length} items)` : ""}]`;
  }
  const name = Object.getPrototypeOf(value)?.constructor?.name ?? "null-prototype";
  const entries = Object.entries(value).map(([key, item]) => `${key}: ${describeValue(item, depth + 1)}`);
  return `${name === "Object" ? "" : name}{${entries.join(", ")}}`;
}
