// Domain errors. Data and auth code throw AppError with a code; the table below maps each code to a
// tRPC code once: server/trpc.ts raises that tRPC error, and route handlers (server/http/route-handler.ts)
// answer with the HTTP status tRPC gives it. The UI translates the code, never a server-made sentence.
import { TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";

const APP_ERROR_CODES = {
  INVALID_CREDENTIALS: "UNAUTHORIZED",
  /** An operator suspended the account: it cannot log in. */
  ACCOUNT_SUSPENDED: "FORBIDDEN",
  UNAUTHENTICATED: "UNAUTHORIZED",
  HANDLE_TAKEN: "CONFLICT",
  EMAIL_UNAVAILABLE: "CONFLICT",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  NOT_FOUND: "NOT_FOUND",
  FORBIDDEN: "FORBIDDEN",
  BLOCKED: "FORBIDDEN",
  MEDIA_INVALID: "BAD_REQUEST",
  CURSOR_INVALID: "BAD_REQUEST",
  MEDIA_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  FORBIDDEN_ORIGIN: "FORBIDDEN",
  LINK_SLOT_TAKEN: "CONFLICT",
  LINK_OUT_OF_ORDER: "CONFLICT",
  BACKUP_VERSION_CONFLICT: "CONFLICT",
  REQUEST_INVALID: "BAD_REQUEST",
  BODY_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  /** The account's undelivered attachments would pass its storage quota. */
  QUOTA_EXCEEDED: "FORBIDDEN",
  /** A resumable upload's part does not start where the stored bytes end (details.uploadOffset). */
  UPLOAD_OFFSET_MISMATCH: "CONFLICT",
  /** A two-factor or recovery code that is wrong, expired or already used (details.field names the field). */
  CODE_INVALID: "BAD_REQUEST",
  /** A passkey ceremony whose response did not verify, or whose challenge is gone or used. */
  PASSKEY_INVALID: "BAD_REQUEST",
  /** A password log-in's second step after its five minutes, its five tries, or its one use. */
  LOG_IN_EXPIRED: "UNAUTHORIZED",
  /** Two-factor authentication is on (to enrol) or off (to disable, to regenerate codes). */
  TWO_FACTOR_STATE: "CONFLICT",
  /** A feature needs a service this server is not configured with (calls without LIVEKIT_URL and its key pair). */
  NOT_CONFIGURED: "PRECONDITION_FAILED",
  /** A feature needs mail and this server has no SMTP server configured (HEARTH_SMTP_URL). */
  MAIL_NOT_CONFIGURED: "PRECONDITION_FAILED",
  /** A mailed link that is unknown, used, replaced or expired: the same answer for each. */
  LINK_INVALID: "BAD_REQUEST",
  /** The LiveKit server that carries calls did not answer, or refused Hearth's key pair. */
  CALLS_UNAVAILABLE: "SERVICE_UNAVAILABLE",
} as const satisfies Record<string, TRPC_ERROR_CODE_KEY>;

export type AppErrorCode = keyof typeof APP_ERROR_CODES;

export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details: {
      /** The form field the error belongs to, when there is one. */
      field?: string;
      retryAfterSeconds?: number;
      /** Where a resumable upload stands, so the client resumes there. */
      uploadOffset?: number;
    } = {},
  ) {
    super(message);
  }

  get trpcCode(): TRPC_ERROR_CODE_KEY {
    return APP_ERROR_CODES[this.code];
  }

  /** The HTTP status of the tRPC code, so a route handler answers as the tRPC endpoint would. */
  get httpStatus(): number {
    return getHTTPStatusCodeFromError(new TRPCError({ code: this.trpcCode }));
  }
}
