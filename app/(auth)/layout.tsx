import type { ReactNode } from "react";
import { PlainFrame } from "@/app/_shared/ui/plain-frame";

/** Log in, sign up, reset a password, verify an address: no navigation, nothing but the task. */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return <PlainFrame>{children}</PlainFrame>;
}
