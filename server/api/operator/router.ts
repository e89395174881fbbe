// The operator's pages: only for handles listed in HEARTH_OPERATOR_HANDLES, and only aggregates
// (daily totals of consenting people), never anything about one person.
import "server-only";
import { listDailyCounts } from "../../data/privacy/analytics";
import { serverEnv } from "../../env";
import { AppError } from "../../errors";
import { createTRPCRouter, protectedProcedure } from "../../trpc";

const operatorProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (!serverEnv().HEARTH_OPERATOR_HANDLES.includes(ctx.auth.account.handle)) {
    throw new AppError("FORBIDDEN", "Only Hearth's operators can see this.");
  }
  return next();
});

export const operatorRouter = createTRPCRouter({
  /** The last 30 days' usage totals, newest first. */
  analytics: operatorProcedure.query(({ ctx }) => listDailyCounts({ purpose: "core.account", days: 30, now: ctx.now() })),
});
