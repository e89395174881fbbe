// sitemap.xml: the public profiles of people who granted search_engine_indexing, and no one else.
import type { MetadataRoute } from "next";
import { headers } from "next/headers";
import { listIndexableHandles } from "@/server/data/social/public-views";
import { isProduction } from "@/server/env";

export const dynamic = "force-dynamic";

export default async function sitemap(): Promise<MetadataRoute.Sitemap> {
  const host = (await headers()).get("host") ?? "localhost:3000";
  const origin = `${isProduction() && !host.startsWith("localhost") ? "https" : "http"}://${host}`;
  const people = await listIndexableHandles({ purpose: "core.profiles" });
  return people.map((p) => ({ url: `${origin}/@${p.handle}`, lastModified: p.updatedAt }));
}
