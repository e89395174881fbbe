// Post text as Hearth understands it: length in grapheme clusters (what a person counts as
// characters), and the mentions, hashtags and links inside it. Pure functions, shared by the
// composer, the renderer and the server, so all three agree.

export const POST_MAX_GRAPHEMES = 500;

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

export function countGraphemes(text: string): number {
  let count = 0;
  for (const _ of segmenter.segment(text)) count++;
  return count;
}

export type PostTextToken =
  | { kind: "text"; text: string }
  | { kind: "mention"; text: string; handle: string }
  | { kind: "hashtag"; text: string; tag: string }
  | { kind: "link"; text: string; href: string };

// A mention or hashtag must not follow a word character (so "me@example.org" is no mention).
const TOKEN_PATTERN =
  /(?<link>\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]}])|(?<![\p{L}\p{N}_@])@(?<handle>[A-Za-z0-9_]{3,30})(?![A-Za-z0-9_])|(?<![\p{L}\p{N}_#&])#(?<tag>[\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)/gu;

export function tokenizePostText(text: string): PostTextToken[] {
  const tokens: PostTextToken[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN_PATTERN)) {
    const start = match.index;
    if (start > last) tokens.push({ kind: "text", text: text.slice(last, start) });
    const groups = match.groups ?? {};
    if (groups.link) tokens.push({ kind: "link", text: groups.link, href: groups.link });
    else if (groups.handle) tokens.push({ kind: "mention", text: match[0], handle: groups.handle.toLowerCase() });
    else if (groups.tag) tokens.push({ kind: "hashtag", text: match[0], tag: normalizeHashtag(groups.tag) });
    last = start + match[0].length;
  }
  if (last < text.length) tokens.push({ kind: "text", text: text.slice(last) });
  return tokens;
}

export function normalizeHashtag(tag: string): string {
  return tag.normalize("NFC").toLowerCase().slice(0, 100);
}

/** Distinct mentioned handles and hashtags, in order of first appearance. */
export function extractMentionsAndHashtags(text: string): { handles: string[]; tags: string[] } {
  const handles = new Set<string>();
  const tags = new Set<string>();
  for (const token of tokenizePostText(text)) {
    if (token.kind === "mention") handles.add(token.handle);
    if (token.kind === "hashtag") tags.add(token.tag);
  }
  return { handles: [...handles], tags: [...tags] };
}
