// Helpers shared by the chat module's router tests.
import { randomBytes as nodeRandomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { expect } from "vitest";
import type { AppError } from "../../errors";

export const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
export const randomBytes = (n: number) => b64(nodeRandomBytes(n));

/** Expects a tRPC error with `code`, and optionally a zod message or AppError code among its causes. */
export async function expectError(promise: Promise<unknown>, code: TRPCError["code"], appCodeOrMessage?: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "expected the call to fail").toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
  if (appCodeOrMessage) {
    const cause = (error as TRPCError).cause as AppError & { issues?: { message: string }[] };
    expect(cause.issues ? cause.issues.map((i) => i.message) : [cause.code]).toContain(appCodeOrMessage);
  }
}
