// Finds a Chromium for the browser tests: $CHROMIUM_PATH, Debian's /usr/bin/chromium, or one
// installed by Playwright. Returns null when there is none.
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";
import { toolEnv } from "./tool-env";

export const INSTALL_CHROMIUM_HELP = [
  "No Chromium found for the browser tests. Install one of:",
  "  sudo apt-get install -y chromium        (Debian/Ubuntu: /usr/bin/chromium)",
  "  npx playwright install chromium         (Playwright's own build)",
  "or point CHROMIUM_PATH at a Chromium or Chrome binary.",
].join("\n");

export function findChromium(): string | null {
  const candidates = [toolEnv().CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  try {
    candidates.push(chromium.executablePath());
  } catch {
    // Playwright has no browser of its own installed.
  }
  return candidates.find((c): c is string => Boolean(c) && existsSync(c!)) ?? null;
}
