import { describe, expect, it } from "vitest";
import { auditVerdict } from "./audit-verdict";

const report = (vulnerabilities: Record<string, string>, counts: Record<string, number>) =>
  JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities: Object.fromEntries(Object.entries(vulnerabilities).map(([name, severity]) => [name, { name, severity }])),
    metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0, ...counts } },
  });

describe("the dependency audit's verdict", () => {
  it("fails on a high or a critical advisory, naming the packages", () => {
    expect(auditVerdict(report({ "left-pad": "critical", lodash: "moderate" }, { critical: 1, moderate: 1 }))).toEqual({
      kind: "vulnerable",
      counts: { info: 0, low: 0, moderate: 1, high: 0, critical: 1 },
      packages: ["left-pad (critical)"],
    });
    expect(auditVerdict(report({ tar: "high" }, { high: 1 })).kind).toBe("vulnerable");
  });

  it("passes with only moderate and low advisories", () => {
    expect(auditVerdict(report({ lodash: "moderate" }, { moderate: 1, low: 2 })).kind).toBe("clean");
  });

  it("says the dependencies were not checked when the advisory service refuses, instead of passing them", () => {
    // What the registry mirror here answers to the bulk advisory endpoint.
    const refused = JSON.stringify({ message: "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk", statusCode: 405 });
    expect(auditVerdict(refused)).toEqual({ kind: "unchecked", reason: expect.stringContaining("405 Method Not Allowed") });
    expect(auditVerdict("").kind).toBe("unchecked");
  });
});
