import { describe, expect, it } from "vitest";
import { deviceLabelFromUserAgent } from "@/app/_shared/isomorphic/device-label";

describe("deviceLabelFromUserAgent", () => {
  it("names the browser and the system", () => {
    const cases: [string, string][] = [
      ["Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox on Linux"],
      ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome on Windows"],
      [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
        "Microsoft Edge on Windows",
      ],
      ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", "Safari on macOS"],
      [
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Safari on iOS",
      ],
      ["Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", "Chrome on Android"],
      ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chromium/131.0.0.0 Chrome/131.0.0.0 Safari/537.36", "Chromium on Linux"],
    ];
    for (const [userAgent, label] of cases) expect(deviceLabelFromUserAgent(userAgent)).toBe(label);
  });

  it("says so when it cannot tell, and stays short", () => {
    expect(deviceLabelFromUserAgent(null)).toBe("Unknown device");
    expect(deviceLabelFromUserAgent("")).toBe("Unknown device");
    expect(deviceLabelFromUserAgent("curl/8.5.0").length).toBeLessThanOrEqual(100);
    expect(deviceLabelFromUserAgent(`Mozilla/5.0 (X11; Linux x86_64) ${"x".repeat(10_000)}`).length).toBeLessThanOrEqual(100);
  });
});
