// Helpers for browser tests with calls (calls.spec.ts, security/browser-attacks.spec.ts): the
// LiveKit server's origins, starting a call from a conversation, and accepting one that rings.
import type { Page } from "@playwright/test";
import type { Person } from "../fixtures/people";
import { expect } from "../fixtures/test";

export const ROOM_PATH = /\/chat\/call\/([0-9a-f]{32})$/;

/**
 * The LiveKit server's origins (WebSocket and HTTP), from calls.configured: the one place besides
 * Hearth a call page may reach. Each person's browser is allowed them; returns them.
 */
export async function allowLivekit(people: Person[]): Promise<string[]> {
  const url = await people[0]!.page.evaluate(async () => {
    const response = await fetch("/api/trpc/calls.configured?batch=1");
    const [answer] = (await response.json()) as [{ result: { data: { configured: boolean; url: string | null } } }];
    return answer.result.data.url;
  });
  expect(url, "the test server runs a LiveKit server").toMatch(/^wss?:\/\//);
  const { host, protocol } = new URL(url!);
  const origins = [`${protocol}//${host}`, `${protocol === "wss:" ? "https" : "http"}://${host}`];
  for (const person of people) for (const origin of origins) person.allowedOrigins.add(origin);
  return origins;
}

/** Starts a call from the open conversation's header; resolves to its room once the call page shows. */
export async function startCall(page: Page, kind: "video" | "audio"): Promise<string> {
  await page.getByTestId(`${kind}-call-button`).click();
  await page.waitForURL(ROOM_PATH, { timeout: 20_000 });
  await expect(page.getByTestId("call-screen")).toBeVisible({ timeout: 30_000 });
  return ROOM_PATH.exec(page.url())![1]!;
}

export async function acceptRinging(person: Person, room: string): Promise<void> {
  const ring = person.page.getByTestId("incoming-call").filter({ has: person.page.getByRole("button", { name: "Accept" }) });
  await expect(ring).toBeVisible({ timeout: 30_000 });
  await ring.getByRole("button", { name: "Accept" }).click();
  await person.page.waitForURL(`**/chat/call/${room}`, { timeout: 20_000 });
}
