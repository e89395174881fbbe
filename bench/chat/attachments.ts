/**
 * Throughput of attachment encryption for a 100 MiB file, against the floors it is made of, and
 * proof that it streams:
 *
 *   npx tsx bench/chat/attachments.ts [--mib 100] [--runs 3]
 *
 * In memory, each figure the median of `runs` runs, in MB/s (10^6 plaintext bytes a second) of
 * wall-clock time and of process CPU time (user + system: the machine is shared, and CPU time
 * moves less with its load), the input in pieces of 64 KiB as a File's stream gives them:
 * - AttachmentEncryptor / AttachmentDecryptor: padding, secretstream, SHA-256 of the ciphertext;
 * - the floors: libsodium's secretstream alone with the same 64 KiB chunking (no padding, no
 *   digest), and SHA-256 alone, @noble/hashes' (which the attachment uses) and libsodium's (the
 *   sumo build's: the standard one has no incremental SHA-256);
 * - the disk: writing the ciphertext to a temporary file (fsync included) and reading it back
 *   (from the page cache, since it was just written: an upper bound).
 * Disk to disk, each in a fresh child process so the memory figures are its own:
 * encryptAttachmentStream from a plaintext file to a ciphertext file, then
 * decryptAttachmentStream back, with memory (RSS, V8 heap, ArrayBuffers) sampled every 5 ms
 * against the child's baseline before it starts. Each runs twice: as an app would (the peak
 * includes garbage not yet collected), and with a forced GC before every sample (every 100 ms),
 * which leaves only what the stream holds. Growth that does not follow the file's size is the
 * proof that it streams.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, createReadStream, fsyncSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { open } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sha256 } from "@noble/hashes/sha2.js";
import { AttachmentDecryptor } from "../../app/_chat/crypto/attachments/attachment-decryptor";
import { AttachmentEncryptor, createAttachmentKey } from "../../app/_chat/crypto/attachments/attachment-encryptor";
import { ATTACHMENT_CHUNK_BYTES, encryptedAttachmentSize } from "../../app/_chat/crypto/attachments/attachment-size";
import { decryptAttachmentStream, encryptAttachmentStream } from "../../app/_chat/crypto/attachments/attachment-streams";
import { loadSodiumSumo } from "../../app/_chat/crypto/backup/sodium-sumo";
import { systemRandom } from "../../app/_chat/crypto/random";
import { loadCryptoCore, sodium } from "../../app/_chat/crypto/sodium";

const MIB = 1024 * 1024;
const PIECE_BYTES = 64 * 1024;

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`benchmark self-check failed: ${what}`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

function* piecesOf(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

interface Timing {
  /** Seconds. */
  wall: number;
  cpu: number;
}

/** Median wall-clock and CPU seconds of `run` over `runs` runs (the first, which warms the JIT up, is usually the slowest). */
function measure(runs: number, run: () => void): Timing {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const startCpu = process.cpuUsage();
    const start = performance.now();
    run();
    wall.push((performance.now() - start) / 1000);
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / 1e6);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

/**
 * A file as a web stream of 64 KiB pieces, read one at a time as the consumer pulls, as a
 * browser's File.stream() gives it: no read-ahead, so the only buffering measured is the
 * attachment stream's own.
 */
async function fileSource(file: string): Promise<ReadableStream<Uint8Array>> {
  const handle = await open(file, "r");
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const piece = new Uint8Array(PIECE_BYTES);
        const { bytesRead } = await handle.read(piece, 0, PIECE_BYTES, null);
        if (bytesRead > 0) return controller.enqueue(piece.subarray(0, bytesRead));
        await handle.close();
        controller.close();
      },
      cancel: () => handle.close(),
    },
    { highWaterMark: 1 },
  );
}

/** A file as a web stream's sink, one write at a time. */
async function fileSink(file: string): Promise<WritableStream<Uint8Array>> {
  const handle = await open(file, "w");
  return new WritableStream<Uint8Array>(
    {
      async write(piece) {
        await handle.write(piece);
      },
      close: () => handle.close(),
      abort: () => handle.close(),
    },
    { highWaterMark: 1 },
  );
}

interface ChildTask {
  mode: "encrypt" | "decrypt";
  input: string;
  output: string;
  size: number;
  key: string;
  digest?: string;
  /** Force a GC before each sample, to see only live memory (needs --expose-gc). */
  forcedGc: boolean;
}

interface Memory {
  rss: number;
  heapUsed: number;
  arrayBuffers: number;
}

interface ChildReport {
  seconds: number;
  baseline: Memory;
  peak: Memory;
  digest?: string;
}

/** Runs in a fresh process: one file to another through an attachment stream, memory sampled. */
async function child(task: ChildTask): Promise<void> {
  await loadCryptoCore();
  const key = Uint8Array.from(Buffer.from(task.key, "hex"));
  const gc = (globalThis as { gc?: () => void }).gc;
  if (task.forcedGc && !gc) throw new Error("the child needs --expose-gc");
  const sample = (): Memory => {
    const { rss, heapUsed, arrayBuffers } = process.memoryUsage();
    return { rss, heapUsed, arrayBuffers };
  };
  // ArrayBuffers freed by a GC are swept on another thread: sample a few milliseconds after it.
  const afterGc = () => new Promise((resolve) => setTimeout(resolve, 5));
  if (task.forcedGc) {
    gc!();
    await afterGc();
  }
  const baseline = sample();
  const peak = { ...baseline };
  const record = () => {
    const now = sample();
    peak.rss = Math.max(peak.rss, now.rss);
    peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, now.arrayBuffers);
  };
  const sampler = task.forcedGc
    ? setInterval(() => {
        gc!();
        void afterGc().then(record);
      }, 100)
    : setInterval(record, 5);
  const began = performance.now();
  const source = await fileSource(task.input);
  const sink = await fileSink(task.output);
  let digest: string | undefined;
  if (task.mode === "encrypt") {
    const { stream, done } = encryptAttachmentStream(source, { key, size: task.size });
    await stream.pipeTo(sink);
    digest = hex((await done).digest);
  } else {
    const decryptor = new AttachmentDecryptor({ key, size: task.size, digest: Uint8Array.from(Buffer.from(task.digest!, "hex")) });
    await source.pipeThrough(decryptAttachmentStream(decryptor)).pipeTo(sink);
  }
  const seconds = (performance.now() - began) / 1000;
  clearInterval(sampler);
  if (task.forcedGc) {
    gc!();
    await afterGc();
  }
  record();
  const report: ChildReport = { seconds, baseline, peak, ...(digest ? { digest } : {}) };
  process.stdout.write(JSON.stringify(report));
}

function runChild(task: ChildTask): ChildReport {
  const script = fileURLToPath(import.meta.url);
  const flags = task.forcedGc ? ["--expose-gc"] : [];
  const result = spawnSync(process.execPath, [...flags, ...process.execArgv, script, "--child", JSON.stringify(task)], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`child ${task.mode} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as ChildReport;
}

function fileSha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(file)
      .on("data", (data) => hash.update(data))
      .on("end", () => resolve(hash.digest("hex")))
      .on("error", reject);
  });
}

async function main(): Promise<void> {
  const childAt = process.argv.indexOf("--child");
  if (childAt >= 0) return child(JSON.parse(process.argv[childAt + 1]!) as ChildTask);

  const mib = option("mib", 100);
  const runs = option("runs", 3);
  const size = mib * MIB;
  await loadCryptoCore();
  const cpus = os.cpus();
  const load = () => os.loadavg()[0]!.toFixed(1);
  console.log(`Attachment encryption benchmark — Node ${process.version}, ${cpus.length} × ${cpus[0]?.model.trim()}, load average ${load()}`);
  console.log(`${mib} MiB of random plaintext in pieces of 64 KiB, median of ${runs} runs; MB/s = 10^6 plaintext bytes a second\n`);

  const plaintext = systemRandom(size);
  const plaintextHash = createHash("sha256").update(plaintext).digest("hex");
  const key = createAttachmentKey(systemRandom);
  const rows: { label: string; timing: Timing }[] = [];
  const row = (label: string, timing: Timing) => rows.push({ label, timing });

  // The attachment API, in memory.
  let ciphertext: Uint8Array[] = [];
  let digest: Uint8Array = new Uint8Array(0);
  row(
    "AttachmentEncryptor (pad, secretstream, SHA-256)",
    measure(runs, () => {
      const encryptor = new AttachmentEncryptor({ key, size });
      ciphertext = [];
      for (const piece of piecesOf(plaintext, PIECE_BYTES)) {
        const out = encryptor.push(piece);
        if (out.length > 0) ciphertext.push(out);
      }
      const finished = encryptor.finish();
      ciphertext.push(finished.tail);
      digest = finished.digest;
    }),
  );
  const cipherHash = createHash("sha256");
  for (const piece of ciphertext) cipherHash.update(piece);
  check(hex(digest) === cipherHash.digest("hex"), "the digest is the ciphertext's SHA-256");
  const cipherBytes = ciphertext.reduce((sum, piece) => sum + piece.length, 0);
  check(cipherBytes === encryptedAttachmentSize(size), "the ciphertext is encryptedAttachmentSize long");
  let plaintextOut: Uint8Array[] = [];
  row(
    "AttachmentDecryptor (secretstream, SHA-256, unpad)",
    measure(runs, () => {
      const decryptor = new AttachmentDecryptor({ key, size, digest });
      plaintextOut = ciphertext.map((piece) => decryptor.push(piece));
      decryptor.finish();
    }),
  );
  const decryptedHash = createHash("sha256");
  for (const piece of plaintextOut) decryptedHash.update(piece);
  check(decryptedHash.digest("hex") === plaintextHash, "decryption gives the plaintext back");
  plaintextOut = [];

  // The floors.
  const s = sodium();
  // The standard build has no incremental SHA-256; the sumo build (backups only) does.
  const sumo = await loadSodiumSumo();
  let rawCiphertext: Uint8Array[] = [];
  let rawHeader: Uint8Array = new Uint8Array(0);
  row(
    "floor: libsodium secretstream push, 64 KiB chunks",
    measure(runs, () => {
      const { state, header } = s.crypto_secretstream_xchacha20poly1305_init_push(key);
      rawHeader = header;
      rawCiphertext = [];
      for (let offset = 0; offset < size; offset += ATTACHMENT_CHUNK_BYTES) {
        const final = offset + ATTACHMENT_CHUNK_BYTES >= size;
        const tag = final ? s.crypto_secretstream_xchacha20poly1305_TAG_FINAL : s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
        rawCiphertext.push(s.crypto_secretstream_xchacha20poly1305_push(state, plaintext.subarray(offset, offset + ATTACHMENT_CHUNK_BYTES), null, tag));
      }
    }),
  );
  row(
    "floor: libsodium secretstream pull, 64 KiB chunks",
    measure(runs, () => {
      const state = s.crypto_secretstream_xchacha20poly1305_init_pull(rawHeader, key);
      for (const chunk of rawCiphertext) check(s.crypto_secretstream_xchacha20poly1305_pull(state, chunk, null) !== false, "a raw chunk opens");
    }),
  );
  rawCiphertext = [];
  row(
    "floor: SHA-256, @noble/hashes (the one used)",
    measure(runs, () => {
      const hash = sha256.create();
      for (const piece of piecesOf(plaintext, PIECE_BYTES)) hash.update(piece);
      hash.digest();
    }),
  );
  row(
    "floor: SHA-256, libsodium sumo (for comparison)",
    measure(runs, () => {
      const state = sumo.crypto_hash_sha256_init();
      for (const piece of piecesOf(plaintext, PIECE_BYTES)) sumo.crypto_hash_sha256_update(state, piece);
      sumo.crypto_hash_sha256_final(state);
    }),
  );

  const folder = mkdtempSync(path.join(os.tmpdir(), "hearth-attachment-bench-"));
  try {
    // The disk, with the same bytes.
    const cipherFile = path.join(folder, "ciphertext");
    row(
      "disk: write the ciphertext, fsync included",
      measure(runs, () => {
        const fd = openSync(cipherFile, "w");
        for (const piece of ciphertext) writeSync(fd, piece);
        fsyncSync(fd);
        closeSync(fd);
      }),
    );
    const readBuffer = new Uint8Array(MIB);
    row(
      "disk: read it back (page cache)",
      measure(runs, () => {
        const fd = openSync(cipherFile, "r");
        let total = 0;
        for (let read = readSync(fd, readBuffer); read > 0; read = readSync(fd, readBuffer)) total += read;
        closeSync(fd);
        check(total === cipherBytes, "read the whole file");
      }),
    );
    ciphertext = [];

    // Disk to disk, in fresh processes: as an app would run it, then with a GC before each sample.
    const plainFile = path.join(folder, "plaintext");
    const fd = openSync(plainFile, "w");
    writeSync(fd, plaintext);
    closeSync(fd);
    const decryptedFile = path.join(folder, "decrypted");
    const memory: { label: string; report: ChildReport }[] = [];
    for (const forcedGc of [false, true]) {
      const encrypted = runChild({ mode: "encrypt", input: plainFile, output: cipherFile, size, key: hex(key), forcedGc });
      check(encrypted.digest === (await fileSha256(cipherFile)), "the streamed digest is the file's");
      const decrypted = runChild({ mode: "decrypt", input: cipherFile, output: decryptedFile, size, key: hex(key), digest: encrypted.digest!, forcedGc });
      check((await fileSha256(decryptedFile)) === plaintextHash, "streamed decryption gives the plaintext back");
      const how = forcedGc ? "live (forced GC every 100 ms)" : "as an app runs it (5 ms samples)";
      memory.push({ label: `encryptAttachmentStream, ${how}`, report: encrypted }, { label: `decryptAttachmentStream, ${how}`, report: decrypted });
      if (!forcedGc) {
        row("disk to disk: encryptAttachmentStream", { wall: encrypted.seconds, cpu: Number.NaN });
        row("disk to disk: decryptAttachmentStream", { wall: decrypted.seconds, cpu: Number.NaN });
      }
    }

    const mbps = (seconds: number) => (Number.isNaN(seconds) ? "" : (size / 1e6 / seconds).toFixed(0));
    const width = Math.max(...rows.map(({ label }) => label.length));
    console.log(`${"path".padEnd(width)}  MB/s wall  MB/s CPU`);
    for (const { label, timing } of rows) console.log(`${label.padEnd(width)}  ${mbps(timing.wall).padStart(9)}  ${mbps(timing.cpu).padStart(8)}`);

    const mibOf = (bytes: number) => (bytes / MIB).toFixed(1);
    const memoryWidth = Math.max(...memory.map(({ label }) => label.length));
    console.log(`\nMemory while streaming ${mib} MiB disk to disk, MiB above the child's baseline (peak of the samples):`);
    console.log(`${"stream".padEnd(memoryWidth)}  RSS   heap  ArrayBuffers  (baseline RSS)`);
    for (const { label, report } of memory) {
      const growth = (field: keyof Memory) => mibOf(report.peak[field] - report.baseline[field]);
      console.log(
        `${label.padEnd(memoryWidth)}  ${growth("rss").padStart(4)}  ${growth("heapUsed").padStart(4)}  ${growth("arrayBuffers").padStart(12)}  (${mibOf(report.baseline.rss)})`,
      );
    }
    console.log(`\n(load average at the end: ${load()})`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

await main();
