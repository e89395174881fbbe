import type { ReactNode } from "react";
import { AccountFrame } from "@/app/_auth/account-frame";

export default function OperatorLayout({ children }: { children: ReactNode }) {
  return <AccountFrame>{children}</AccountFrame>;
}
