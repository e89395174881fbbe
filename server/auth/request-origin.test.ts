import { describe, expect, it } from "vitest";
import { isAllowedRequestOrigin } from "./request-origin";

function request(method: string, headers: Record<string, string>) {
  return { method, headers: new Headers(headers) };
}

describe("isAllowedRequestOrigin", () => {
  const direct = { trustProxy: false };

  it("lets reads through from anywhere", () => {
    expect(isAllowedRequestOrigin(request("GET", { host: "hearth.example", origin: "https://evil.example" }), direct)).toBe(true);
  });

  it("accepts a state change from the same origin", () => {
    expect(isAllowedRequestOrigin(request("POST", { host: "localhost:3000", origin: "http://localhost:3000" }), direct)).toBe(true);
  });

  it("refuses a state change from another origin, another port, or with no Origin", () => {
    expect(isAllowedRequestOrigin(request("POST", { host: "localhost:3000", origin: "http://evil.example" }), direct)).toBe(false);
    expect(isAllowedRequestOrigin(request("POST", { host: "localhost:3000", origin: "http://localhost:4000" }), direct)).toBe(false);
    expect(isAllowedRequestOrigin(request("POST", { host: "localhost:3000" }), direct)).toBe(false);
    expect(isAllowedRequestOrigin(request("POST", { host: "localhost:3000", origin: "null" }), direct)).toBe(false);
  });

  it("believes X-Forwarded-Host only behind a trusted proxy", () => {
    const forged = request("POST", { host: "hearth.example", "x-forwarded-host": "evil.example", origin: "https://evil.example" });
    expect(isAllowedRequestOrigin(forged, direct)).toBe(false);
    expect(isAllowedRequestOrigin(forged, { trustProxy: true })).toBe(true);
  });
});
