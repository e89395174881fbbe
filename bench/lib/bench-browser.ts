// The headless Chromium the page benches measure in: Debian's, quiet (no background network,
// component updates or sync, which would add requests and CPU to what is measured).
import { chromium, type Browser } from "playwright-core";
import { toolEnv } from "../../scripts/tool-env";

export function launchBenchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: toolEnv().CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    timeout: 30_000,
  });
}
