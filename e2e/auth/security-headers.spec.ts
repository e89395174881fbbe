import { expect, formAlert, test } from "../fixtures/test";

test("every page carries a strict Content-Security-Policy and the privacy headers", async ({ page }) => {
  const response = await page.goto("/login");
  const headers = response!.headers();
  const csp = headers["content-security-policy"] ?? "";
  expect(csp).toContain("default-src 'self'");
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain("unsafe-inline");
  expect(csp).not.toContain("'unsafe-eval'");
  // WebAssembly may be compiled (libsodium, for private messages); JavaScript strings may not be eval'd.
  expect(csp).toContain("'wasm-unsafe-eval'");
  expect(headers["referrer-policy"]).toBe("no-referrer");
  expect(headers["permissions-policy"]).toContain("camera=()");
  expect(headers["permissions-policy"]).toContain("microphone=()");
  expect(headers["permissions-policy"]).toContain("geolocation=()");
  expect(headers["strict-transport-security"]).toContain("max-age=");
  expect(headers["x-powered-by"]).toBeUndefined();

  // Next's own scripts run under the nonce: the page is interactive.
  await page.getByLabel("Email or handle").fill("someone@example.org");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(formAlert(page)).not.toBeEmpty();
});

test("the nonce is fresh on every response", async ({ request }) => {
  const nonceOf = async () => /'nonce-([^']+)'/.exec((await request.get("/login")).headers()["content-security-policy"] ?? "")?.[1];
  expect(await nonceOf()).not.toBe(await nonceOf());
});

test("a state-changing request from another origin is refused", async ({ request }) => {
  const response = await request.post("/api/trpc/auth.logIn", {
    headers: { origin: "https://evil.example", "content-type": "application/json" },
    data: { identifier: "someone@example.org", password: "whatever password" },
  });
  expect(response.status()).toBe(403);
});
