import type { ReactNode } from "react";
import { SocialFrame } from "@/app/_social/shell/social-frame";

export default function OperatorLayout({ children }: { children: ReactNode }) {
  return <SocialFrame>{children}</SocialFrame>;
}
