import type { ReactNode } from "react";
import { AccountFrame } from "@/app/_auth/account-frame";

/** The account's settings sit in the frame of whatever this deployment is: the social site, or Hearth Chat alone. */
export default function SettingsLayout({ children }: { children: ReactNode }) {
  return <AccountFrame>{children}</AccountFrame>;
}
