// The root router: one router per domain (auth, social, privacy, chat, calls, operator). A
// chat-only deployment (HEARTH_APP=chat, server/hearth-app.ts) serves the same routers without the
// social site's: a call to a social procedure there answers NOT_FOUND (404), as for any path that
// does not exist, before any of its code runs.
import "server-only";
import { authRouter } from "./api/auth/router";
import { callsRouter } from "./api/calls/router";
import { chatRouter } from "./api/chat/router";
import { operatorRouter } from "./api/operator/router";
import { privacyRouter } from "./api/privacy/router";
import { socialRouter } from "./api/social/router";
import { serverEnv } from "./env";
import type { HearthApp } from "./hearth-app";
import { createCallerFactory, createTRPCRouter } from "./trpc";

/** What Hearth Chat needs: the account, messages and calls, the privacy dashboard, the operators' reports. */
const chatAppRouters = {
  auth: authRouter,
  chat: chatRouter,
  calls: callsRouter,
  privacy: privacyRouter,
  operator: operatorRouter,
};

export const appRouter = createTRPCRouter({ ...chatAppRouters, social: socialRouter });

/** Hearth Chat on its own: every router but the social site's. */
export const chatAppRouter = createTRPCRouter(chatAppRouters);

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
const createChatAppCaller = createCallerFactory(chatAppRouter);

/**
 * The router this deployment serves. Typed as the whole one, so that one client type serves both
 * deployments: in a chat-only one, a social procedure is simply not there (NOT_FOUND at run time).
 */
export function servedRouter(app: HearthApp = serverEnv().HEARTH_APP): AppRouter {
  return app === "chat" ? (chatAppRouter as unknown as AppRouter) : appRouter;
}

/** A server-side caller of the router this deployment serves (see servedRouter). */
export function createServedCaller(...args: Parameters<typeof createCaller>): ReturnType<typeof createCaller> {
  return serverEnv().HEARTH_APP === "chat" ? (createChatAppCaller(...args) as unknown as ReturnType<typeof createCaller>) : createCaller(...args);
}
