// The operator's pages: only for handles listed in HEARTH_OPERATOR_HANDLES. Analytics are only
// aggregates (daily totals of consenting people); reports show what their reporters revealed (one
// message each, or a post or profile) and let the operator suspend an account or dismiss a report.
import "server-only";
import { z } from "zod";
import { person } from "../../data/actor";
import { dismissReport, listReports } from "../../data/moderation/reports";
import { setAccountSuspended } from "../../data/moderation/suspend-account";
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

const purpose = "core.moderation" as const;
const ZIdSchema = z.uuid({ error: "id_invalid" });

export const operatorRouter = createTRPCRouter({
  /** The last 30 days' usage totals, newest first. */
  analytics: operatorProcedure.query(({ ctx }) => listDailyCounts({ purpose: "core.account", days: 30, now: ctx.now() })),

  reports: createTRPCRouter({
    /** Reports of messages, posts and profiles, newest first. */
    list: operatorProcedure.query(({ ctx }) => listReports({ actor: person(ctx.auth.account.id), purpose })),

    /** Closes a report without acting against anyone. */
    dismiss: operatorProcedure.input(z.object({ kind: z.enum(["message", "post", "profile"]), id: ZIdSchema })).mutation(async ({ ctx, input }) => {
      await dismissReport({ actor: person(ctx.auth.account.id), purpose, kind: input.kind, id: input.id, now: ctx.now() });
      return { ok: true as const };
    }),
  }),

  accounts: createTRPCRouter({
    /** Suspends an account (it is logged out everywhere and cannot log in), or lifts the suspension. */
    setSuspended: operatorProcedure
      .input(z.object({ userId: ZIdSchema, suspended: z.boolean() }))
      .mutation(({ ctx, input }) =>
        setAccountSuspended({ actor: person(ctx.auth.account.id), purpose, userId: input.userId, suspended: input.suspended, now: ctx.now() }),
      ),
  }),
});
