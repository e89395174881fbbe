// Validation and normalisation of the fields a person types at sign-up and log-in. Messages are
// translation keys (see app/_shared/i18n/messages/*.json, "fieldErrors").
import "server-only";
import { z } from "zod";
import { isCommonPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./password";

/** Names that would impersonate the service or collide with routes. */
const RESERVED_HANDLES = new Set([
  "about",
  "abuse",
  "account",
  "admin",
  "administrator",
  "api",
  "app",
  "auth",
  "blog",
  "calls",
  "chat",
  "contact",
  "dashboard",
  "dev",
  "developer",
  "docs",
  "explore",
  "help",
  "hearth",
  "home",
  "info",
  "login",
  "logout",
  "mail",
  "media",
  "messages",
  "mod",
  "moderator",
  "news",
  "noreply",
  "notifications",
  "null",
  "official",
  "operator",
  "postmaster",
  "privacy",
  "register",
  "root",
  "search",
  "security",
  "settings",
  "signin",
  "signup",
  "staff",
  "static",
  "status",
  "support",
  "system",
  "team",
  "terms",
  "undefined",
  "webmaster",
  "www",
]);

export const ZHandleSchema = z
  .string({ error: "handle_required" })
  .trim()
  .toLowerCase()
  .min(3, { error: "handle_too_short" })
  .max(30, { error: "handle_too_long" })
  .regex(/^[a-z0-9_]+$/, { error: "handle_invalid_characters" })
  .refine((handle) => !RESERVED_HANDLES.has(handle), { error: "handle_reserved" });

export const ZEmailSchema = z
  .string({ error: "email_required" })
  .trim()
  .normalize("NFC")
  .toLowerCase()
  .max(254, { error: "email_invalid" })
  .pipe(z.email({ error: "email_invalid" }));

/** For log-in: any string up to the maximum; strength rules apply only when choosing one. */
export const ZPasswordInputSchema = z
  .string({ error: "password_required" })
  .min(1, { error: "password_required" })
  .max(PASSWORD_MAX_LENGTH, { error: "password_too_long" });

export const ZNewPasswordSchema = z
  .string({ error: "password_required" })
  .min(PASSWORD_MIN_LENGTH, { error: "password_too_short" })
  .max(PASSWORD_MAX_LENGTH, { error: "password_too_long" })
  .refine((password) => !isCommonPassword(password), { error: "password_common" });
