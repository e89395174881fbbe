// Files keep their name across the channel: browsers clone a File as a File, but not every
// structured clone does (Node's gives a Blob), so they travel as their parts and are made again.
const FILE_MARK = "__hearthFile";

interface WireFile {
  [FILE_MARK]: true;
  name: string;
  type: string;
  lastModified: number;
  blob: Blob;
}

export function toWire(value: unknown): unknown {
  if (typeof File !== "undefined" && value instanceof File) {
    return { [FILE_MARK]: true, name: value.name, type: value.type, lastModified: value.lastModified, blob: value } satisfies WireFile;
  }
  if (Array.isArray(value)) return value.map(toWire);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toWire(inner)]));
  return value;
}

export function fromWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromWire);
  if (isPlainObject(value)) {
    if (value[FILE_MARK] === true) {
      const file = value as unknown as WireFile;
      return new File([file.blob], file.name, { type: file.type, lastModified: file.lastModified });
    }
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, fromWire(inner)]));
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
