// Input schemas shared by the social routers. Messages are translation keys (fieldErrors.*).
import { z } from "zod";
import { countGraphemes, POST_MAX_GRAPHEMES } from "@/app/_shared/isomorphic/post-text";
import { zUserText } from "../input-schemas";

export const ZIdSchema = z.uuid({ error: "id_invalid" });
/** Cursors are base64url; what they encode is checked where they are decoded (server/data). */
export const ZCursorSchema = z
  .string()
  .max(500)
  .regex(/^[A-Za-z0-9_-]*$/, { error: "cursor_invalid" })
  .nullish();

export const ZPostTextSchema = zUserText({ multiline: true })
  .max(4000, { error: "post_too_long" })
  .transform((text) => text.normalize("NFC").trim())
  .refine((text) => countGraphemes(text) <= POST_MAX_GRAPHEMES, { error: "post_too_long" });

export const ZContentWarningSchema = zUserText()
  .trim()
  .max(200, { error: "content_warning_too_long" })
  .nullish()
  .transform((cw) => cw || null);

export const ZAltTextSchema = zUserText({ multiline: true }).trim().max(1500, { error: "alt_text_too_long" });

export const ZMediaAttachmentSchema = z.object({ id: ZIdSchema, altText: ZAltTextSchema });

export const ZHandleParamSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_]{1,30}$/, { error: "handle_invalid_characters" });
