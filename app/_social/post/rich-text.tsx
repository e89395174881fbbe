import Link from "next/link";
import { tokenizePostText } from "@/app/_shared/isomorphic/post-text";
import { profileHref } from "../people/profile-href";

/**
 * Post text as React nodes, never as HTML: mentions link to profiles, hashtags to their
 * timelines, and web addresses open in a new tab without passing on who sent the visitor.
 */
export function RichText({ text }: { text: string }) {
  return (
    <>
      {tokenizePostText(text).map((token, index) => {
        switch (token.kind) {
          case "mention":
            return (
              <Link key={index} href={profileHref(token.handle)} className="text-link">
                {token.text}
              </Link>
            );
          case "hashtag":
            return (
              <Link key={index} href={`/hashtag/${encodeURIComponent(token.tag)}`} className="text-link">
                {token.text}
              </Link>
            );
          case "link":
            return (
              <a key={index} href={token.href} rel="nofollow noopener ugc" target="_blank" className="text-link text-link-url">
                {displayUrl(token.href)}
              </a>
            );
          default:
            return token.text;
        }
      })}
    </>
  );
}

/** The address without its scheme, shortened when long; the link itself keeps all of it. */
function displayUrl(href: string): string {
  const bare = href.replace(/^https?:\/\//, "").replace(/^www\./, "");
  return bare.length > 40 ? `${bare.slice(0, 39)}…` : bare;
}
