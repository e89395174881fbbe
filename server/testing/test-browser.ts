// A simulated browser for router tests: its own client address and cookie jar, calling the tRPC
// router the way the route handler does (same context, same Set-Cookie handling).
import { CLIENT_IP_HEADER } from "../auth/client-ip";
import { sessionCookieName } from "../auth/session-cookie";
import { createCaller } from "../root";
import { createTRPCContext } from "../trpc";
import { uniqueEmail, uniqueHandle, uniqueIp } from "./unique";

export type Api = ReturnType<typeof createCaller>;

export const TEST_PASSWORD = "lantern orbit meadow";

export function testBrowser(ip = uniqueIp()) {
  let cookie = "";
  const extraHeaders: Record<string, string> = {};
  return {
    async caller() {
      const resHeaders = new Headers();
      const headers = new Headers({ [CLIENT_IP_HEADER]: ip, "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36", ...extraHeaders });
      if (cookie) headers.set("cookie", cookie);
      const ctx = await createTRPCContext({ headers, resHeaders });
      return { api: createCaller(ctx), resHeaders };
    },
    async call<T>(run: (api: Api) => Promise<T>): Promise<T> {
      const { api, resHeaders } = await this.caller();
      try {
        return await run(api);
      } finally {
        for (const setCookie of resHeaders.getSetCookie()) {
          const [pair = ""] = setCookie.split(";");
          if (pair.startsWith(`${sessionCookieName()}=`)) cookie = /Max-Age=0(;|$)/.test(setCookie) ? "" : pair;
        }
      }
    },
    /** Sends a header with every later call (e.g. the test clock). */
    setHeader(name: string, value: string) {
      extraHeaders[name] = value;
    },
    get cookie() {
      return cookie;
    },
  };
}

export type TestBrowser = ReturnType<typeof testBrowser>;

export interface TestPerson {
  browser: TestBrowser;
  id: string;
  handle: string;
  email: string;
  call: TestBrowser["call"];
}

/** Signs a new person up in a new browser. */
export async function signedUpPerson(ip?: string): Promise<TestPerson> {
  const browser = testBrowser(ip);
  const handle = uniqueHandle();
  const email = uniqueEmail();
  await browser.call((api) => api.auth.signUp({ handle, email, password: TEST_PASSWORD }));
  const profile = await browser.call((api) => api.social.people.profile({ handle }));
  return { browser, id: profile.id, handle, email, call: browser.call.bind(browser) };
}
