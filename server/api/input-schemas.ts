// Building blocks of every procedure's input for what people type and what pages send back.
// Invariant: a value built from these reaches PostgreSQL only if PostgreSQL can take it, so bad input
// is a 400 with a translation key (fieldErrors.*), never a 500: no U+0000 (text cannot hold it),
// no timestamp outside TIMESTAMP_RANGE. Other control characters are refused too: no one types them.
import { z } from "zod";
import { TIMESTAMP_RANGE } from "../data/postgres-values";

/** C0 and C1 controls, DEL, and lone surrogates (which would be stored as U+FFFD). */
const CONTROL_CHARACTERS = /[\p{Cc}\p{Cs}]/u;
/** The same, less tab and line breaks. */
const CONTROL_CHARACTERS_BUT_LINE_BREAKS = /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\p{Cs}]/u;

/**
 * Text a person typed. Chain trimming, lengths and other rules after it; it only refuses control
 * characters (tab, LF and CR are allowed in `multiline` fields). `missing` is the message for no string.
 */
export function zUserText(options: { multiline?: boolean; missing?: string } = {}) {
  const forbidden = options.multiline ? CONTROL_CHARACTERS_BUT_LINE_BREAKS : CONTROL_CHARACTERS;
  return z.string(options.missing ? { error: options.missing } : undefined).refine((text) => !forbidden.test(text), { error: "text_invalid_characters" });
}

/** A point in time sent back by a page (a cursor's, "new since"). */
export const ZTimestampSchema = z.coerce
  .date({ error: "date_invalid" })
  .min(TIMESTAMP_RANGE.min, { error: "date_out_of_range" })
  .max(TIMESTAMP_RANGE.max, { error: "date_out_of_range" });

export const DISPLAY_NAME_MAX_LENGTH = 50;

// Display names. Format characters (Cf) are invisible and can hide a name, pad it or mirror the
// text around it (U+202E), so they are refused, with two exceptions that are how real names and
// emoji are written: U+200D ZWJ and U+200C ZWNJ between two visible characters (emoji ZWJ
// sequences such as 👩‍💻 and ❤️‍🔥; Persian and Indic spelling), and the tag characters of emoji
// subdivision flags (🏴󠁧󠁢󠁳󠁣󠁴󠁿). A joiner at either end, next to a space or doubled stays refused.
const VISIBLE = String.raw`\p{L}\p{N}\p{P}\p{S}`;
const JOINER_BETWEEN_VISIBLES = new RegExp(String.raw`(?<=[${VISIBLE}\p{M}])[\u200C\u200D](?=[${VISIBLE}])`, "gu");
const EMOJI_TAG_SEQUENCE = /\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}/gu;
const FORBIDDEN_IN_NAMES = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
/** Letters and symbols that draw nothing (Hangul fillers, the blank braille pattern): no name on their own. */
const BLANK_LOOKING = /[\u115F\u1160\u3164\uFFA0\u2800]/gu;
const VISIBLE_CHARACTER = new RegExp(`[${VISIBLE}]`, "u");

function hasForbiddenNameCharacters(name: string): boolean {
  return FORBIDDEN_IN_NAMES.test(name.replace(EMOJI_TAG_SEQUENCE, "").replace(JOINER_BETWEEN_VISIBLES, ""));
}

function hasVisibleCharacter(name: string): boolean {
  return VISIBLE_CHARACTER.test(name.replace(BLANK_LOOKING, ""));
}

/**
 * The name shown beside a handle: NFC, trimmed, with something visible and nothing that hides or
 * reorders it. Stricter than zUserText (controls are among the forbidden characters), with one message.
 */
export const ZDisplayNameSchema = z
  .string()
  .normalize("NFC")
  .trim()
  .min(1, { error: "display_name_required", abort: true })
  .max(DISPLAY_NAME_MAX_LENGTH, { error: "display_name_too_long" })
  .refine((name) => !hasForbiddenNameCharacters(name), { error: "display_name_invalid_characters" })
  .refine(hasVisibleCharacter, { error: "display_name_invisible" });

/** Why something is reported: the operator page and the report dialogs offer these three. */
export const ZReportReasonSchema = z.enum(["spam", "harassment", "other"], { error: "report_reason_invalid" });
/** What the reporter adds in their own words; empty is none. */
export const ZReportNoteSchema = zUserText({ multiline: true })
  .trim()
  .max(500, { error: "report_note_too_long" })
  .transform((note) => note || null);
