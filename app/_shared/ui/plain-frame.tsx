import type { ReactNode } from "react";
import { AppHeader } from "./app-header";

/** The frame of the pages about the account itself (log in, sign up, reset a password) and of a missing page: the name, then the page. */
export function PlainFrame({ children }: { children: ReactNode }) {
  return (
    <>
      <AppHeader />
      <main id="main" tabIndex={-1} className="main-simple">
        {children}
      </main>
    </>
  );
}
