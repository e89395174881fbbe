import type { ReactNode } from "react";
import { SocialFrame } from "@/app/_social/shell/social-frame";

export default function SocialLayout({ children }: { children: ReactNode }) {
  return <SocialFrame>{children}</SocialFrame>;
}
