import type { ReactNode } from "react";
import { AccountFrame } from "@/app/_auth/account-frame";

/** The choices right after sign-up, in the frame the person will use from then on. */
export default function WelcomeLayout({ children }: { children: ReactNode }) {
  return <AccountFrame>{children}</AccountFrame>;
}
