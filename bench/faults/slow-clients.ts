// Slow clients against the production server (crash.ts runs this as one of its faults, during a
// burst): one client sends its headers a byte a second, another sends the start of a tRPC body and
// then nothing. With the production deadlines (server/http/request-deadlines.ts) each must be
// answered 408 and cut off within 20 s and the 2 s check, while everyone else is served meanwhile.
import { connect } from "node:net";
import { REQUEST_DEADLINES } from "../../server/http/request-deadlines";

/** How late past a deadline the server may act: its check runs every 2 s; a loaded machine is slower. */
const SLACK_MS = 5_000;
/** The longest another client may wait for an answer while the slow ones hang on. */
const PROMPT_MS = 5_000;

interface SlowClient {
  name: string;
  deadlineMs: number;
  /** What it was answered, and after how long the server closed it (null: still open at the end). */
  result: Promise<{ answer: string; closedAfterMs: number | null }>;
}

function slowClient(origin: URL, name: string, deadlineMs: number, start: string, trickle: string | null): SlowClient {
  const socket = connect(Number(origin.port), origin.hostname);
  const opened = Date.now();
  let answer = "";
  let timer: NodeJS.Timeout | undefined;
  socket.on("data", (chunk) => (answer += chunk.toString("latin1")));
  socket.on("error", () => {});
  socket.write(start);
  if (trickle !== null) timer = setInterval(() => socket.writable && socket.write(trickle), 1_000);
  const result = new Promise<{ answer: string; closedAfterMs: number | null }>((resolve) => {
    const giveUp = setTimeout(() => socket.destroy(), deadlineMs + SLACK_MS * 4);
    socket.on("close", () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      const closedAfterMs = Date.now() - opened;
      resolve({ answer, closedAfterMs: closedAfterMs < deadlineMs + SLACK_MS * 4 ? closedAfterMs : null });
    });
  });
  return { name, deadlineMs, result };
}

/** Runs both slow clients against `appOrigin` and returns what went wrong (nothing, when all held). */
export async function slowClientsAreCutOff(appOrigin: string, log: (line: string) => void): Promise<string[]> {
  const origin = new URL(appOrigin);
  const host = `Host: ${origin.host}\r\n`;
  const clients = [
    slowClient(origin, "headers sent a byte a second", REQUEST_DEADLINES.headersMs, `GET / HTTP/1.1\r\n${host}X-Slow: `, "a"),
    slowClient(
      origin,
      "a log-in body that stops after 1 kB of 1 MB",
      REQUEST_DEADLINES.stallMs,
      `POST /api/trpc/auth.logIn HTTP/1.1\r\n${host}Origin: ${origin.origin}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{"x":"${"x".repeat(1_000)}`,
      null,
    ),
  ];
  const problems: string[] = [];
  // Meanwhile another client asks every second and must be answered promptly.
  let waiting = true;
  const results = Promise.all(clients.map((client) => client.result)).finally(() => (waiting = false));
  let slowest = 0;
  let asked = 0;
  while (waiting) {
    const started = Date.now();
    const response = await fetch(new URL("/api/trpc/auth.me", origin), { signal: AbortSignal.timeout(PROMPT_MS * 2) }).catch((error: unknown) => error);
    const took = Date.now() - started;
    asked += 1;
    slowest = Math.max(slowest, took);
    if (!(response instanceof Response) || response.status !== 200) problems.push(`another client was not answered meanwhile (${String(response)})`);
    else if (took > PROMPT_MS) problems.push(`another client waited ${took} ms meanwhile`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  for (const [client, { answer, closedAfterMs }] of (await results).map((result, i) => [clients[i]!, result] as const)) {
    const status = answer.split("\r\n")[0] || "nothing";
    log(`  ${client.name}: answered "${status}", closed after ${closedAfterMs === null ? "never" : `${(closedAfterMs / 1000).toFixed(1)} s`}`);
    if (!status.startsWith("HTTP/1.1 408")) problems.push(`${client.name}: answered "${status}", not 408`);
    if (closedAfterMs === null || closedAfterMs > client.deadlineMs + SLACK_MS)
      problems.push(`${client.name}: not cut off within ${client.deadlineMs / 1000} s`);
  }
  log(`  meanwhile ${asked} other requests answered, the slowest in ${slowest} ms`);
  return problems;
}
