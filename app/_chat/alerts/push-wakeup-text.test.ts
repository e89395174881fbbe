// The service worker shows a wake-up without the app's translations loaded, so it carries its own
// copy of the two sentences: they must stay those of the message files.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import de from "../messages/de.json";
import en from "../messages/en.json";

describe("the service worker's wake-up notification", () => {
  it("says what the message files say, in English and German", () => {
    const worker = readFileSync("app/_chat/pwa/service-worker.js", "utf8");
    for (const messages of [en, de]) {
      expect(worker).toContain(JSON.stringify(messages.chat.manifest.name));
      expect(worker).toContain(JSON.stringify(messages.chat.notifications.push.notificationBody));
    }
  });
});
