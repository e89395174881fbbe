// With HEARTH_LOG_FILE set, everything the server writes to stdout and stderr is also appended to
// that file (the browser tests check it for plaintext after the run).
import { appendFileSync } from "node:fs";

export function teeOutputTo(file: string | undefined): void {
  if (!file) return;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      appendFileSync(file, chunk);
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
}
