/**
 * Byte helpers of the crypto core that @noble/hashes/utils does not have (concatenation, UTF-8
 * and hex come from there): comparisons in time that depends only on the lengths (noble's
 * utils have no equality), erasure that skips absent values (noble's `clean` refuses them), and
 * a writer/reader pair for the versioned binary formats (big-endian integers, explicit lengths).
 * The reader throws a `CryptoError` with the code chosen by the structure it parses.
 */
import { CryptoError, type CryptoErrorCode } from "./errors";

const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

/** Equality in time that depends only on the lengths, for secrets and MACs. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0;
  for (let i = 0; i < bytes.length; i++) acc |= bytes[i]!;
  return acc === 0;
}

/** Best-effort erasure of secrets that are no longer needed (JavaScript gives no guarantee). */
export function wipe(...secrets: readonly (Uint8Array | undefined)[]): void {
  for (const secret of secrets) secret?.fill(0);
}

const MAX_U32 = 0xffff_ffff;

export function assertU32(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > MAX_U32) {
    throw new RangeError(`${what} must be an integer in [0, 2^32)`);
  }
}

/** Appends fields to a growing buffer. */
export class ByteWriter {
  private buffer: Uint8Array;
  private view: DataView;
  private length = 0;

  constructor(initialCapacity = 256) {
    this.buffer = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buffer.buffer);
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const next = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
    this.view = new DataView(next.buffer);
  }

  u8(value: number): this {
    this.reserve(1);
    this.view.setUint8(this.length, value);
    this.length += 1;
    return this;
  }

  u16(value: number): this {
    this.reserve(2);
    this.view.setUint16(this.length, value);
    this.length += 2;
    return this;
  }

  u32(value: number): this {
    assertU32(value, "u32 field");
    this.reserve(4);
    this.view.setUint32(this.length, value);
    this.length += 4;
    return this;
  }

  /** A non-negative integer up to 2^53 - 1 (milliseconds since the epoch) as 8 bytes. */
  u64(value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError("u64 field must be a safe non-negative integer");
    this.reserve(8);
    this.view.setUint32(this.length, Math.floor(value / 2 ** 32));
    this.view.setUint32(this.length + 4, value >>> 0);
    this.length += 8;
    return this;
  }

  bytes(value: Uint8Array): this {
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
    return this;
  }

  /** A u32 length, then the bytes. */
  lengthPrefixed(value: Uint8Array): this {
    return this.u32(value.length).bytes(value);
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

/** Reads fields in order; any overrun or leftover throws `CryptoError(code)`. */
export class ByteReader {
  private offset = 0;
  private readonly view: DataView;

  constructor(
    private readonly input: Uint8Array,
    private readonly code: CryptoErrorCode,
  ) {
    this.view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  }

  private take(length: number): number {
    if (length < 0 || this.offset + length > this.input.length) {
      throw new CryptoError(this.code, "truncated input");
    }
    const at = this.offset;
    this.offset += length;
    return at;
  }

  get remaining(): number {
    return this.input.length - this.offset;
  }

  u8(): number {
    return this.view.getUint8(this.take(1));
  }

  u16(): number {
    return this.view.getUint16(this.take(2));
  }

  u32(): number {
    return this.view.getUint32(this.take(4));
  }

  u64(): number {
    const at = this.take(8);
    const value = this.view.getUint32(at) * 2 ** 32 + this.view.getUint32(at + 4);
    if (!Number.isSafeInteger(value)) throw new CryptoError(this.code, "integer out of range");
    return value;
  }

  /** A copy of the next `length` bytes. */
  bytes(length: number): Uint8Array {
    const at = this.take(length);
    return this.input.slice(at, at + length);
  }

  lengthPrefixed(maxLength: number): Uint8Array {
    const length = this.u32();
    if (length > maxLength) throw new CryptoError(this.code, "field too long");
    return this.bytes(length);
  }

  rest(): Uint8Array {
    return this.bytes(this.remaining);
  }

  /** A boolean flag byte; anything but 0 or 1 is malformed. */
  flag(): boolean {
    const value = this.u8();
    if (value > 1) throw new CryptoError(this.code, "invalid flag");
    return value === 1;
  }

  /** A UTF-8 string with a u16 length. */
  string(maxBytes: number): string {
    const length = this.u16();
    if (length > maxBytes) throw new CryptoError(this.code, "string too long");
    try {
      return utf8Decoder.decode(this.bytes(length));
    } catch {
      throw new CryptoError(this.code, "invalid UTF-8");
    }
  }

  /** The version byte: `UnsupportedVersion` above `current`, the structure's code for unknown ones. */
  version(current: number): number {
    const version = this.u8();
    if (version > current) throw new CryptoError("UnsupportedVersion", `version ${version} is newer than ${current}`);
    if (version !== current) throw new CryptoError(this.code, `unknown version ${version}`);
    return version;
  }

  end(): void {
    if (this.offset !== this.input.length) throw new CryptoError(this.code, "trailing bytes");
  }
}
