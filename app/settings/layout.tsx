import type { ReactNode } from "react";
import { SocialFrame } from "@/app/_social/shell/social-frame";

/** The account's settings sit in the social site's frame: they are reached from its navigation. */
export default function SettingsLayout({ children }: { children: ReactNode }) {
  return <SocialFrame>{children}</SocialFrame>;
}
