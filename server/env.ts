// Server configuration, read and validated once. Every variable is documented in README.md.
import { z } from "zod";

const booleanFlag = z
  .enum(["1", "0", "true", "false", ""])
  .optional()
  .transform((v) => v === "1" || v === "true");

const ZServerEnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url().optional(),
  HEARTH_DATA_DIR: z.string().min(1).default(".data"),
  /** Behind a reverse proxy, take the client address from the last X-Forwarded-For hop. */
  HEARTH_TRUST_PROXY: booleanFlag,
  /** Send the Secure cookie attribute and HSTS even outside production (e.g. a TLS staging host). */
  HEARTH_SECURE_COOKIES: booleanFlag,
  /**
   * The key of the MAC that turns rate-limit subjects (account ids, emails, addresses) into stored
   * keys: 32 or more bytes as hex or base64. Unset: made once in <HEARTH_DATA_DIR>/rate-limit-secret
   * (random per process under tests). It is never stored in the database.
   */
  HEARTH_RATE_LIMIT_SECRET: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      const bytes = /^[0-9a-fA-F]+$/.test(v) && v.length % 2 === 0 ? Buffer.from(v, "hex") : Buffer.from(v, "base64");
      if (bytes.length < 32) {
        ctx.addIssue({ code: "custom", message: "HEARTH_RATE_LIMIT_SECRET must hold at least 32 bytes (hex or base64)" });
        return z.NEVER;
      }
      return new Uint8Array(bytes);
    }),
  /** Handles (comma-separated) allowed to see the operator pages; none by default. */
  HEARTH_OPERATOR_HANDLES: z
    .string()
    .optional()
    .transform((v) => (v ?? "").split(",").map((h) => h.trim().replace(/^@/, "").toLowerCase()).filter(Boolean)),
});

export type ServerEnv = z.infer<typeof ZServerEnvSchema>;

let cached: ServerEnv | undefined;

export function serverEnv(): ServerEnv {
  if (!cached) {
    const parsed = ZServerEnvSchema.safeParse(process.env);
    if (!parsed.success) {
      throw new Error(`Invalid environment: ${z.prettifyError(parsed.error)}`);
    }
    cached = parsed.data;
  }
  return cached;
}

export function isProduction(): boolean {
  return serverEnv().NODE_ENV === "production";
}

/** Whether cookies carry `Secure` and responses carry HSTS. */
export function secureTransportEnabled(): boolean {
  return isProduction() || serverEnv().HEARTH_SECURE_COOKIES;
}
