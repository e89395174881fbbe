// `npx tsx scripts/audit/audit-dependencies.ts` (run by .ci/run after `npm ci`): every installed
// package, dev tools included (they run in CI with its secrets), against npm's advisories. Exits
// 1 on a high or critical advisory; 0 with a clear notice when the advisory service does not answer.
import { spawnSync } from "node:child_process";
import { auditVerdict } from "./audit-verdict";

const run = spawnSync("npm", ["audit", "--json"], { encoding: "utf8", timeout: 120_000 });
const verdict = auditVerdict(run.stdout ?? "");
switch (verdict.kind) {
  case "clean":
    console.log(`npm audit: no high or critical advisories (${verdict.counts.moderate} moderate, ${verdict.counts.low} low).`);
    break;
  case "vulnerable":
    console.error(`npm audit: ${verdict.counts.critical} critical and ${verdict.counts.high} high advisories: ${verdict.packages.join(", ")}.`);
    console.error("Update or replace these packages (npm audit for details) before this lands.");
    process.exit(1);
    break;
  case "unchecked":
    console.log(`npm audit: the advisory service did not answer (${verdict.reason}); dependencies were NOT checked for known vulnerabilities.`);
}
