// What `npm audit --json` said, as a verdict for CI: fail on high and critical advisories; say
// plainly when the advisory service did not answer (as on these machines, where the registry's
// mirror refuses the bulk advisory endpoint) rather than pass as if the dependencies were checked.

export type AuditVerdict =
  { kind: "clean"; counts: SeverityCounts } | { kind: "vulnerable"; counts: SeverityCounts; packages: string[] } | { kind: "unchecked"; reason: string };

export interface SeverityCounts {
  info: number;
  low: number;
  moderate: number;
  high: number;
  critical: number;
}

const FAILING = ["high", "critical"] as const;

interface AuditReport {
  metadata?: { vulnerabilities?: Partial<SeverityCounts> };
  vulnerabilities?: Record<string, { severity?: string }>;
  message?: string;
  error?: { summary?: string };
}

export function auditVerdict(output: string): AuditVerdict {
  let report: AuditReport;
  try {
    report = JSON.parse(output) as AuditReport;
  } catch {
    return { kind: "unchecked", reason: "npm audit printed no report" };
  }
  const found = report.metadata?.vulnerabilities;
  if (!found) return { kind: "unchecked", reason: report.message || report.error?.summary || "npm audit gave no advisory counts" };
  const counts: SeverityCounts = {
    info: found.info ?? 0,
    low: found.low ?? 0,
    moderate: found.moderate ?? 0,
    high: found.high ?? 0,
    critical: found.critical ?? 0,
  };
  const packages = Object.entries(report.vulnerabilities ?? {})
    .filter(([, v]) => FAILING.some((s) => s === v.severity))
    .map(([name, v]) => `${name} (${v.severity})`);
  return counts.high + counts.critical > 0 ? { kind: "vulnerable", counts, packages } : { kind: "clean", counts };
}
