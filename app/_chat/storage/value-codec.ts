/**
 * The serialization of stored values: UTF-8 JSON, where a `Uint8Array` is written as the tagged
 * object `{"$b": "<base64>"}`. A key of a plain object that starts with `$` is written with one
 * more `$` in front, so no stored object can pass for a tag. Anything JSON cannot carry exactly
 * (`NaN`, `Infinity`, dates, maps, class instances, other typed arrays, `undefined` in an array,
 * cycles) is refused rather than silently changed; `undefined` object properties are left out,
 * as JSON does.
 */
import { ChatStorageError } from "./errors";

const BYTES_TAG = "$b";
const MAX_DEPTH = 256;
/** `String.fromCharCode` takes its arguments on the stack. */
const BASE64_CHUNK = 0x8000;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

/** @throws {ChatStorageError} `unsupported_value` for a value outside JSON + `Uint8Array`. */
export function encodeValue(value: unknown): Uint8Array<ArrayBuffer> {
  return utf8Encoder.encode(JSON.stringify(toJsonTree(value, 0)));
}

/** @throws {ChatStorageError} `corrupt` for bytes that are not an encoded value. */
export function decodeValue(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(utf8Decoder.decode(bytes), revive);
  } catch {
    throw new ChatStorageError("corrupt", "stored value does not decode");
  }
}

function unsupported(what: string): ChatStorageError {
  return new ChatStorageError("unsupported_value", `cannot store ${what}`);
}

function toJsonTree(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) throw unsupported("a value nested this deep (or a cycle)");
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      if (!Number.isFinite(value)) throw unsupported(String(value));
      return value;
    case "object": {
      if (value === null) return null;
      if (value instanceof Uint8Array) return { [BYTES_TAG]: toBase64(value) };
      if (Array.isArray(value)) {
        return value.map((item: unknown) => {
          if (item === undefined) throw unsupported("undefined in an array");
          return toJsonTree(item, depth + 1);
        });
      }
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) throw unsupported(Object.prototype.toString.call(value));
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        if (item === undefined) continue;
        setOwn(out, key.startsWith("$") ? `$${key}` : key, toJsonTree(item, depth + 1));
      }
      return out;
    }
    default:
      throw unsupported(`a ${typeof value}`);
  }
}

/** JSON.parse calls this bottom-up, so an unescaped object is never looked at again. */
function revive(_key: string, value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === BYTES_TAG) {
    const encoded = (value as Record<string, unknown>)[BYTES_TAG];
    if (typeof encoded !== "string") throw new TypeError("bad bytes tag");
    return fromBase64(encoded);
  }
  if (!keys.some((key) => key.startsWith("$"))) return value;
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (key.startsWith("$") && !key.startsWith("$$")) throw new TypeError("unescaped $ key");
    setOwn(out, key.startsWith("$") ? key.slice(1) : key, (value as Record<string, unknown>)[key]);
  }
  return out;
}

/** Plain assignment would set the prototype for the key `__proto__`. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let offset = 0; offset < bytes.length; offset += BASE64_CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + BASE64_CHUNK));
  }
  return btoa(binary);
}

function fromBase64(encoded: string): Uint8Array {
  const binary = atob(encoded);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
