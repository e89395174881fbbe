import type { MetadataRoute } from "next";

/** Crawlers may read only what people made public (listed in the sitemap); the app itself is off limits. */
export default function robots(): MetadataRoute.Robots {
  return {
    rules: [{ userAgent: "*", allow: ["/@", "/post/"], disallow: ["/api/", "/settings", "/search", "/notifications", "/bookmarks"] }],
    sitemap: "/sitemap.xml",
  };
}
