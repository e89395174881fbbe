// Child process of bench/export/run.ts: builds one export and reports its time and peak memory,
// so that the figure is the export's own and not the seeding's.
import { performance } from "node:perf_hooks";
import { buildDataExport } from "../../server/privacy/build-data-export";

const userId = process.argv[2]!;
const started = performance.now();
const { bytes } = await buildDataExport({ userId, storageKey: "bench-export", onProgress: async () => undefined });
console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, bytes, maxRssKiB: process.resourceUsage().maxRSS }));
process.exit(0);
