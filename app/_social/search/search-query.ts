// What the search page was asked for, read the same way on the server (prefetch) and in the
// browser: the words, which tab, and whether the words are just one hashtag.
import { tokenizePostText } from "@/app/_shared/isomorphic/post-text";
import { withoutDirectionControls } from "@/app/_shared/isomorphic/bidi";

export type SearchType = "posts" | "people";

/** The server refuses longer queries; the page says so instead of asking. */
export const MAX_QUERY_LENGTH = 200;

export function searchTypeOf(value: string | string[] | undefined): SearchType {
  return value === "people" ? "people" : "posts";
}

/** The query an address holds, without direction controls: a link carrying one would show "No posts match …" reversed. */
export function queryOf(value: string | string[] | undefined): string {
  return withoutDirectionControls(typeof value === "string" ? value : (value?.[0] ?? "")).trim();
}

export function searchHref(query: string, type: SearchType): string {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  if (type === "people") params.set("type", "people");
  const search = params.toString();
  return search ? `/search?${search}` : "/search";
}

/** The tag when the whole query is one hashtag ("#Hearth" → "hearth"), else null. */
export function hashtagOf(query: string): string | null {
  const tokens = tokenizePostText(query.trim());
  const only = tokens.length === 1 ? tokens[0] : undefined;
  return only?.kind === "hashtag" ? only.tag : null;
}

/** Where the next page of post results starts; the same on the server (prefetch) and in the browser. */
export const nextSearchCursor = (page: { nextCursor: string | null }): string | null => page.nextCursor;

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Whether people search will treat the query as an exact email address. */
export function looksLikeEmail(query: string): boolean {
  return EMAIL_SHAPE.test(query.trim());
}
