// The social reads and likes of the mix, driven by autocannon: home timeline reads and likes, each
// at its own overall rate (whole requests a second from all of its connections, one connection per
// request a second; autocannon corrects the latencies for coordinated omission when a rate is set).
// Posts, under one a second, go through the open-loop driver (chat-load.ts): autocannon's rates
// start at 1. Every request carries the session cookie of a
// person picked at random, and mutations the Origin the same-origin check wants, as the browser's
// tRPC client sends them (httpBatchLink: a batch of one, JSON input).
import autocannon from "autocannon";
import { SESSION_COOKIE, mutationBody } from "../chat/chat-http";
import type { ChatAccount } from "../chat/delivery-accounts";
import { homePath } from "../timeline/timeline-client";

export interface ActionResult {
  action: string;
  requests: number;
  /** Connection errors, timeouts, answers other than 2xx, and 2xx answers without a tRPC result. */
  errors: number;
  /** What went wrong, by kind ("HTTP 429", "timeout", …), for the report. */
  errorKinds: Record<string, number>;
  p50: number;
  p99: number;
  max: number;
}

interface SocialAction {
  name: string;
  /** Requests a second, from all connections together. */
  rate: number;
  method: "GET" | "POST";
  /** The path and body of the next request, for a person. */
  next(person: ChatAccount): { path: string; body?: string };
}

export function socialActions(options: { timelineRate: number; likeRate: number; postIds: readonly string[] }): SocialAction[] {
  const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;
  return [
    { name: "timeline read", rate: options.timelineRate, method: "GET", next: () => ({ path: homePath(null) }) },
    {
      name: "like",
      rate: options.likeRate,
      method: "POST",
      // Mostly likes, now and then taking one back, as people do.
      next: () => ({ path: "/api/trpc/social.posts.setLike?batch=1", body: mutationBody({ id: pick(options.postIds), liked: Math.random() < 0.9 }) }),
    },
  ];
}

/** Runs one action for `seconds` at its rate; resolves with its latencies and every failure counted. */
export async function runSocialAction(options: {
  origin: string;
  people: readonly ChatAccount[];
  action: SocialAction;
  seconds: number;
}): Promise<ActionResult> {
  const { action } = options;
  const errorKinds: Record<string, number> = {};
  const count = (kind: string) => void (errorKinds[kind] = (errorKinds[kind] ?? 0) + 1);
  const result = await autocannon({
    url: options.origin,
    // autocannon opens one connection per request a second of the rate, which must be whole.
    connections: Math.max(1, Math.round(action.rate)),
    overallRate: Math.max(1, Math.round(action.rate)),
    duration: options.seconds,
    timeout: 30,
    requests: [
      {
        method: action.method,
        setupRequest: (request) => {
          const person = options.people[Math.floor(Math.random() * options.people.length)]!;
          const { path, body } = action.next(person);
          const headers: Record<string, string> = { cookie: `${SESSION_COOKIE}=${person.token}`, accept: "application/json" };
          if (body !== undefined) Object.assign(headers, { origin: options.origin, "content-type": "application/json" });
          return { ...request, path, headers, body };
        },
        onResponse: (status, body) => {
          if (status < 200 || status > 299) count(`HTTP ${status}: ${errorMessageOf(body)}`);
          else if (!body.includes('"result"')) count("200 without a result");
        },
      },
    ],
  });
  if (result.timeouts) errorKinds.timeout = result.timeouts;
  if (result.errors - result.timeouts > 0) errorKinds["connection error"] = result.errors - result.timeouts;
  const errors = Object.values(errorKinds).reduce((sum, n) => sum + n, 0);
  return {
    action: action.name,
    requests: result.requests.total,
    errors,
    errorKinds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
  };
}

function errorMessageOf(body: string): string {
  const match = /"message":"([^"]{0,120})/.exec(body);
  return match?.[1] ?? body.slice(0, 120);
}
