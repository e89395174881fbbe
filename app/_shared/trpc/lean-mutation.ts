"use client";
// A tRPC mutation without TanStack Query, for the signed-out pages (log in, sign up, reset a
// password): they make a call or two, and TanStack Query would be most of
// their first load. The call goes through the browser's lean tRPC caller (http-caller.ts), so the
// wire format and errors are the ones every other page gets, and describeError reads them alike.
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { useCallback, useState } from "react";
import type { HearthClientError } from "@/app/_shared/ui/describe-error";
import type { AppRouter } from "@/server/root";
import { createHttpCaller } from "./http-caller";
import type { TrpcCallError } from "./trpc-call-error";

type In = inferRouterInputs<AppRouter>["auth"];
type Out = inferRouterOutputs<AppRouter>["auth"];

/** The procedures the signed-out pages call, with their input and output. */
interface LeanProcedures {
  "auth.logIn": [In["logIn"], Out["logIn"]];
  "auth.signUp": [In["signUp"], Out["signUp"]];
  "auth.twoFactor.logIn": [In["twoFactor"]["logIn"], Out["twoFactor"]["logIn"]];
  "auth.passkeys.logInOptions": [void, Out["passkeys"]["logInOptions"]];
  "auth.passkeys.logIn": [In["passkeys"]["logIn"], Out["passkeys"]["logIn"]];
  "auth.passwordReset.request": [In["passwordReset"]["request"], Out["passwordReset"]["request"]];
  "auth.passwordReset.complete": [In["passwordReset"]["complete"], Out["passwordReset"]["complete"]];
  "auth.verifyEmail": [In["verifyEmail"], Out["verifyEmail"]];
}
export type LeanPath = keyof LeanProcedures;

const caller = createHttpCaller("/api/trpc");

const call = <P extends LeanPath>(path: P, input: LeanProcedures[P][0]) => caller.mutation(path, input) as Promise<LeanProcedures[P][1]>;

/** The last call's state, shaped as useMutation's so the forms narrow on it the same way. */
type LeanState<T> =
  | { isPending: false; isSuccess: false; isError: false; error: null; data: undefined }
  | { isPending: true; isSuccess: false; isError: false; error: null; data: undefined }
  | { isPending: false; isSuccess: false; isError: true; error: HearthClientError; data: undefined }
  | { isPending: false; isSuccess: true; isError: false; error: null; data: T };

const idle = { isPending: false, isSuccess: false, isError: false, error: null, data: undefined } as const;

export type LeanMutation<P extends LeanPath> = LeanState<LeanProcedures[P][1]> & {
  mutate(input: LeanProcedures[P][0]): void;
  mutateAsync(input: LeanProcedures[P][0]): Promise<LeanProcedures[P][1]>;
  reset(): void;
};

/** useMutation for one procedure: the last call's state, and onSuccess after a success. */
export function useLeanMutation<P extends LeanPath>(path: P, options: { onSuccess?: (result: LeanProcedures[P][1]) => void } = {}): LeanMutation<P> {
  const [state, setState] = useState<LeanState<LeanProcedures[P][1]>>(idle);
  const { onSuccess } = options;
  const mutateAsync = useCallback(
    async (input: LeanProcedures[P][0]) => {
      setState({ ...idle, isPending: true });
      try {
        const data = await call(path, input);
        setState({ ...idle, isSuccess: true, data });
        onSuccess?.(data);
        return data;
      } catch (error) {
        setState({ ...idle, isError: true, error: error as TrpcCallError });
        throw error;
      }
    },
    [path, onSuccess],
  );
  const mutate = useCallback((input: LeanProcedures[P][0]) => void mutateAsync(input).catch(() => undefined), [mutateAsync]);
  const reset = useCallback(() => setState(idle), []);
  return { ...state, mutate, mutateAsync, reset };
}
