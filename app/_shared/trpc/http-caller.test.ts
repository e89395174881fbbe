// The browser's lean tRPC caller against the real tRPC fetch adapter with Hearth's procedure
// builders and error formatter: the same answers, errors and batches as @trpc/client, and the
// same query keys as @trpc/tanstack-react-query (under which the server prefetches). The network
// is a stand-in fetch that hands each request to the adapter and counts them.
import { QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError } from "@/server/errors";
import { createTRPCContext, createTRPCRouter, publicProcedure } from "@/server/trpc";
import { MAX_TRPC_BATCH_SIZE } from "./batch-limit";
import { createHttpCaller } from "./http-caller";
import { createOptionsProxy } from "./options-proxy";
import { isTrpcCallError } from "./trpc-call-error";
import { createTypedClient } from "./typed-client";

const ORIGIN = "http://localhost:3000";

const router = createTRPCRouter({
  posts: createTRPCRouter({
    echo: publicProcedure.input(z.object({ word: z.string().min(2) })).query(({ input }) => ({ said: input.word })),
    page: publicProcedure
      .input(z.object({ tag: z.string(), cursor: z.string().nullish(), direction: z.enum(["forward", "backward"]).optional() }))
      .query(({ input }) => ({ tag: input.tag, cursor: input.cursor ?? null, direction: input.direction ?? null })),
    missing: publicProcedure.query(() => {
      throw new AppError("NOT_FOUND", "That post is gone.");
    }),
    like: publicProcedure.input(z.object({ postId: z.string() })).mutation(({ input }) => ({ liked: input.postId })),
  }),
});
type TestRouter = typeof router;

let requests: { method: string; url: string }[];

beforeEach(() => {
  requests = [];
  vi.stubGlobal("fetch", async (input: string | URL, init?: RequestInit) => {
    const request = new Request(new URL(String(input), ORIGIN), { ...init, headers: { ...(init?.headers as Record<string, string>), origin: ORIGIN } });
    requests.push({ method: request.method, url: request.url });
    return fetchRequestHandler({
      endpoint: "/api/trpc",
      req: request,
      router,
      maxBatchSize: MAX_TRPC_BATCH_SIZE,
      createContext: ({ resHeaders }) => createTRPCContext({ headers: request.headers, resHeaders }),
    });
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const lean = () => createTypedClient<TestRouter>(createHttpCaller("/api/trpc"));
const full = () => createTRPCClient<TestRouter>({ links: [httpBatchLink({ url: `${ORIGIN}/api/trpc`, maxItems: MAX_TRPC_BATCH_SIZE })] });

async function failureOf(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => expect.fail("the call succeeded"),
    (error: unknown) => error,
  );
}

describe("the lean tRPC caller", () => {
  it("sends the calls made together as one batched request, each with its own answer or error, as @trpc/client reads them", async () => {
    const client = lean();
    const [first, second, missing, invalid] = await Promise.allSettled([
      client.posts.echo.query({ word: "hello" }),
      client.posts.echo.query({ word: "again" }),
      client.posts.missing.query(),
      client.posts.echo.query({ word: "x" }),
    ]);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.method).toBe("GET");
    expect(first).toEqual({ status: "fulfilled", value: { said: "hello" } });
    expect(second).toEqual({ status: "fulfilled", value: { said: "again" } });

    // The errors carry what the full client's would: the code, Hearth's appCode, the field errors.
    const theirs = await Promise.all([failureOf(full().posts.missing.query()), failureOf(full().posts.echo.query({ word: "x" }))]);
    for (const [ours, reference] of [
      [missing, theirs[0]],
      [invalid, theirs[1]],
    ] as const) {
      expect(ours.status).toBe("rejected");
      const error = (ours as PromiseRejectedResult).reason as unknown;
      expect(isTrpcCallError(error)).toBe(true);
      expect(reference).toBeInstanceOf(TRPCClientError);
      expect(isTrpcCallError(reference)).toBe(true);
      // The stack (sent outside production) is the only difference: where each call ran on the server.
      expect({ ...(error as TRPCClientError<TestRouter>).data, stack: null }).toEqual({ ...(reference as TRPCClientError<TestRouter>).data, stack: null });
      expect((error as Error).message).toBe((reference as Error).message);
    }
    expect((missing as PromiseRejectedResult).reason).toMatchObject({ data: { code: "NOT_FOUND", appCode: "NOT_FOUND" } });
    expect((invalid as PromiseRejectedResult).reason).toMatchObject({ data: { code: "BAD_REQUEST", fieldErrors: { word: expect.any(Array) as unknown } } });
  });

  it("posts mutations, and splits more calls than the server takes in one request into several", async () => {
    expect(await lean().posts.like.mutate({ postId: "p1" })).toEqual({ liked: "p1" });
    expect(requests).toEqual([{ method: "POST", url: `${ORIGIN}/api/trpc/posts.like?batch=1` }]);

    requests = [];
    const client = lean();
    const words = Array.from({ length: MAX_TRPC_BATCH_SIZE + 1 }, (_, index) => `word ${index}`);
    const answers = await Promise.all(words.map((word) => client.posts.echo.query({ word })));
    expect(answers.map((answer) => answer.said)).toEqual(words);
    expect(requests).toHaveLength(2);
  });

  it("reports a request that never got an answer as a network failure, without data", async () => {
    vi.stubGlobal("fetch", () => Promise.reject(new TypeError("Failed to fetch")));
    const error = await failureOf(lean().posts.echo.query({ word: "hello" }));
    expect(isTrpcCallError(error)).toBe(true);
    expect((error as TRPCClientError<TestRouter>).data).toBeNull();
  });
});

describe("the lean query options", () => {
  it("use the query keys @trpc/tanstack-react-query uses, so the browser finds the data the server prefetched", () => {
    const ours = createOptionsProxy<TestRouter>(createHttpCaller("/api/trpc"));
    const theirs = createTRPCOptionsProxy<TestRouter>({ client: full(), queryClient: new QueryClient() });
    expect(ours.posts.echo.queryOptions({ word: "hello" }).queryKey).toEqual(theirs.posts.echo.queryOptions({ word: "hello" }).queryKey);
    expect(ours.posts.echo.queryKey({ word: "hello" })).toEqual(theirs.posts.echo.queryKey({ word: "hello" }));
    expect(ours.posts.missing.queryKey()).toEqual(theirs.posts.missing.queryKey());
    const infinite = { tag: "news", cursor: "c1", direction: "forward" } as const;
    expect(ours.posts.page.infiniteQueryOptions(infinite, { getNextPageParam: () => null }).queryKey).toEqual(
      theirs.posts.page.infiniteQueryOptions(infinite, { getNextPageParam: () => null }).queryKey,
    );
    expect(ours.posts.page.infiniteQueryKey({ tag: "news" })).toEqual(theirs.posts.page.infiniteQueryKey({ tag: "news" }));
    expect(ours.posts.pathKey()).toEqual(theirs.posts.pathKey());
    expect(ours.posts.echo.pathFilter()).toEqual(theirs.posts.echo.pathFilter());
    expect(ours.posts.like.mutationKey()).toEqual(theirs.posts.like.mutationKey());
    expect(ours.posts.like.mutationOptions().mutationKey).toEqual(theirs.posts.like.mutationOptions().mutationKey);
  });

  it("fetch pages with the cursor and direction, and run mutations, through TanStack Query", async () => {
    const options = createOptionsProxy<TestRouter>(createHttpCaller("/api/trpc"));
    const queryClient = new QueryClient();
    const pages = await queryClient.fetchInfiniteQuery({
      ...options.posts.page.infiniteQueryOptions({ tag: "news" }, { getNextPageParam: () => "c2" }),
      pages: 2,
    });
    expect(pages.pages).toEqual([
      { tag: "news", cursor: null, direction: "forward" },
      { tag: "news", cursor: "c2", direction: "forward" },
    ]);
    expect(await queryClient.fetchQuery(options.posts.echo.queryOptions({ word: "hello" }))).toEqual({ said: "hello" });

    const onSuccess = vi.fn();
    const mutation = queryClient.getMutationCache().build(queryClient, options.posts.like.mutationOptions({ onSuccess }));
    expect(await mutation.execute({ postId: "p2" })).toEqual({ liked: "p2" });
    expect(onSuccess).toHaveBeenCalledWith({ liked: "p2" }, { postId: "p2" }, undefined, expect.anything());
  });
});
