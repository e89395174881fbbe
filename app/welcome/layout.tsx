import type { ReactNode } from "react";
import { SocialFrame } from "@/app/_social/shell/social-frame";

/** The choices right after sign-up, in the frame the person will use from then on. */
export default function WelcomeLayout({ children }: { children: ReactNode }) {
  return <SocialFrame>{children}</SocialFrame>;
}
