// Inputs of the passkey and two-factor procedures. WebAuthn responses arrive as the JSON that
// @simplewebauthn/browser makes: base64url fields with bounds far above any real authenticator's,
// so a hostile body is a 400 before the library parses a byte of it.
import { z } from "zod";
import { withoutDirectionControls } from "@/app/_shared/isomorphic/bidi";
import { ZPasswordInputSchema } from "../../auth/account-fields";
import { zUserText } from "../input-schemas";

const base64url = (max: number, error = "passkey_response_invalid") =>
  z
    .string({ error })
    .max(max, { error })
    .regex(/^[A-Za-z0-9_-]*$/, { error });
const ZCredentialIdSchema = base64url(1400).min(16, { error: "passkey_response_invalid" });
/** "usb", "internal", "hybrid", …: a name, not an enum, so a transport newer than this code does not refuse the passkey. */
const ZTransportSchema = z
  .string({ error: "passkey_response_invalid" })
  .max(32, { error: "passkey_response_invalid" })
  .regex(/^[a-z-]+$/, { error: "passkey_response_invalid" });
/** Extensions' outputs are not used; only their shape is bounded. */
const ZExtensionResultsSchema = z.object({ credProps: z.object({ rk: z.boolean().optional() }).optional() }).default({});

export const ZRegistrationResponseSchema = z.object({
  id: ZCredentialIdSchema,
  rawId: ZCredentialIdSchema,
  type: z.literal("public-key", { error: "passkey_response_invalid" }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"], { error: "passkey_response_invalid" }).optional(),
  clientExtensionResults: ZExtensionResultsSchema,
  response: z.object({
    clientDataJSON: base64url(4096).min(1, { error: "passkey_response_invalid" }),
    attestationObject: base64url(32_768).min(1, { error: "passkey_response_invalid" }),
    authenticatorData: base64url(16_384).optional(),
    transports: z.array(ZTransportSchema).max(8, { error: "passkey_response_invalid" }).optional(),
    publicKeyAlgorithm: z.number().int().min(-65536).max(65535).optional(),
    publicKey: base64url(4096).optional(),
  }),
});

export const ZAuthenticationResponseSchema = z.object({
  id: ZCredentialIdSchema,
  rawId: ZCredentialIdSchema,
  type: z.literal("public-key", { error: "passkey_response_invalid" }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"], { error: "passkey_response_invalid" }).optional(),
  clientExtensionResults: ZExtensionResultsSchema,
  response: z.object({
    clientDataJSON: base64url(4096).min(1, { error: "passkey_response_invalid" }),
    authenticatorData: base64url(16_384).min(1, { error: "passkey_response_invalid" }),
    signature: base64url(2048).min(1, { error: "passkey_response_invalid" }),
    userHandle: base64url(256).optional(),
  }),
});

export const PASSKEY_NAME_MAX_LENGTH = 60;

/** What the owner calls a passkey, without direction controls (they would disguise it in the list and the access log). */
export const ZPasskeyNameSchema = zUserText({ missing: "passkey_name_required" })
  .overwrite(withoutDirectionControls)
  .normalize("NFC")
  .trim()
  .min(1, { error: "passkey_name_required" })
  .max(PASSKEY_NAME_MAX_LENGTH, { error: "passkey_name_too_long" });

/** A TOTP code (6 digits) or a recovery code (xxxxx-xxxxx), spaces allowed; checked in server/auth/two-factor.ts. */
export const ZSecondFactorCodeSchema = zUserText({ missing: "code_required" })
  .trim()
  .min(1, { error: "code_required" })
  .max(20, { error: "code_format" })
  .regex(/^[0-9A-Za-z\s-]+$/, { error: "code_format" });

/** The password, or a current two-factor code, confirming a sensitive change. */
export const ZAccountProofSchema = z.union([z.object({ password: ZPasswordInputSchema }), z.object({ code: ZSecondFactorCodeSchema })], {
  error: "proof_required",
});

export const ZPendingLogInTokenSchema = z.string({ error: "log_in_expired" }).max(64, { error: "log_in_expired" });

export type TRegistrationResponse = z.input<typeof ZRegistrationResponseSchema>;
export type TAuthenticationResponse = z.input<typeof ZAuthenticationResponseSchema>;
