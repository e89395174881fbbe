// Direction controls in names. A right-to-left override (U+202E) reverses what follows it until the
// end of its paragraph, so "invoice<U+202E>gnp.exe" shows as "invoiceexe.png": a name can disguise itself
// or the text around it. Names never need these controls (a browser picks a name's direction from
// its letters, and Hearth isolates every name it shows), so they are taken out wherever a name
// enters: display names refuse them on the server (server/api/input-schemas.ts); group names and
// file names, which only members' devices see, lose them in the chat engine and again on display.

/**
 * The explicit direction formatting characters: the embeddings, overrides and their pop
 * (U+202A–U+202E), the isolates and theirs (U+2066–U+2069), and the three marks (U+200E LRM,
 * U+200F RLM, U+061C ALM).
 */
const DIRECTION_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

/** The text without direction controls; everything else, letters of any script included, stays. */
export function withoutDirectionControls(text: string): string {
  return text.replace(DIRECTION_CONTROLS, "");
}

/** The longest part after the last dot still taken for an extension (".download" fits, a sentence does not). */
const MAX_EXTENSION_LENGTH = 16;

/**
 * A file's name in two parts for display, without direction controls: the stem, to be shown
 * isolated (its own letters pick its direction), and the extension with its dot, to be shown last,
 * left to right and never cut, so the type a file claims to be is the one its name ends in.
 */
export function fileNameParts(name: string): { stem: string; extension: string } {
  const clean = withoutDirectionControls(name);
  const dot = clean.lastIndexOf(".");
  if (dot <= 0 || clean.length - dot > MAX_EXTENSION_LENGTH || /\s/.test(clean.slice(dot))) return { stem: clean, extension: "" };
  return { stem: clean.slice(0, dot), extension: clean.slice(dot) };
}
