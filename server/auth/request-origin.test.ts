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

  it("compares the scheme too: a plain-HTTP server refuses https:// on its own host and other ports", () => {
    const from = (origin: string) => request("POST", { host: "hearth.example:3000", origin });
    expect(isAllowedRequestOrigin(from("http://hearth.example:3000"), direct)).toBe(true);
    expect(isAllowedRequestOrigin(from("https://hearth.example:3000"), direct)).toBe(false);
    expect(isAllowedRequestOrigin(from("http://hearth.example:3001"), direct)).toBe(false);
    expect(isAllowedRequestOrigin(from("http://hearth.example"), direct)).toBe(false);
    const defaultPort = (origin: string) => request("POST", { host: "hearth.example", origin });
    expect(isAllowedRequestOrigin(defaultPort("http://hearth.example"), direct)).toBe(true);
    expect(isAllowedRequestOrigin(defaultPort("https://hearth.example"), direct)).toBe(false);
    expect(isAllowedRequestOrigin(defaultPort("http://hearth.example:8080"), direct)).toBe(false);
  });

  it("refuses a Host header that is not a host and port", () => {
    expect(isAllowedRequestOrigin(request("POST", { host: "evil.example/@hearth.example", origin: "http://evil.example" }), direct)).toBe(false);
    expect(isAllowedRequestOrigin(request("POST", { host: "user@hearth.example", origin: "http://hearth.example" }), direct)).toBe(false);
  });

  it("believes X-Forwarded-Host and X-Forwarded-Proto only behind a trusted proxy", () => {
    const forged = request("POST", {
      host: "hearth.example",
      "x-forwarded-host": "evil.example",
      "x-forwarded-proto": "https",
      origin: "https://evil.example",
    });
    expect(isAllowedRequestOrigin(forged, direct)).toBe(false);
    expect(isAllowedRequestOrigin(forged, { trustProxy: true })).toBe(true);
    const claimsTls = request("POST", { host: "hearth.example", "x-forwarded-proto": "https", origin: "https://hearth.example" });
    expect(isAllowedRequestOrigin(claimsTls, direct)).toBe(false);
  });

  it("behind a trusted TLS proxy, accepts its https origin only", () => {
    const proxied = (origin: string, proto = "https") =>
      request("POST", { host: "127.0.0.1:3000", "x-forwarded-host": "hearth.example", "x-forwarded-proto": proto, origin });
    const trusted = { trustProxy: true };
    expect(isAllowedRequestOrigin(proxied("https://hearth.example"), trusted)).toBe(true);
    expect(isAllowedRequestOrigin(proxied("http://hearth.example"), trusted)).toBe(false);
    expect(isAllowedRequestOrigin(proxied("https://hearth.example:8443"), trusted)).toBe(false);
    // Without X-Forwarded-Proto the hop is plain HTTP; with a list, the nearest proxy's value counts.
    expect(
      isAllowedRequestOrigin(request("POST", { host: "127.0.0.1:3000", "x-forwarded-host": "hearth.example", origin: "https://hearth.example" }), trusted),
    ).toBe(false);
    expect(isAllowedRequestOrigin(proxied("https://hearth.example", "http, https"), trusted)).toBe(true);
    expect(isAllowedRequestOrigin(proxied("https://hearth.example", "https, http"), trusted)).toBe(false);
  });
});
