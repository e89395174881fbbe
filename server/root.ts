// The root router: one router per domain (auth, social, privacy, chat, operator).
import "server-only";
import { authRouter } from "./api/auth/router";
import { chatRouter } from "./api/chat/router";
import { operatorRouter } from "./api/operator/router";
import { privacyRouter } from "./api/privacy/router";
import { socialRouter } from "./api/social/router";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  social: socialRouter,
  chat: chatRouter,
  privacy: privacyRouter,
  operator: operatorRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
