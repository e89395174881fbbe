// The root router: one router per domain (auth, social, privacy, chat, calls, operator).
import "server-only";
import { authRouter } from "./api/auth/router";
import { callsRouter } from "./api/calls/router";
import { chatRouter } from "./api/chat/router";
import { operatorRouter } from "./api/operator/router";
import { privacyRouter } from "./api/privacy/router";
import { socialRouter } from "./api/social/router";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  social: socialRouter,
  chat: chatRouter,
  calls: callsRouter,
  privacy: privacyRouter,
  operator: operatorRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
