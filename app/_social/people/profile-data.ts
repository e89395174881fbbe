import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/root";

/** A profile exactly as `social.people.profile` returns it. */
export type ProfileData = inferRouterOutputs<AppRouter>["social"]["people"]["profile"];
