"use client";
// Keeps the controls of a part that the server rendered disabled until its code has run. A part
// whose code loads after the page's first load would otherwise take typing and clicks it cannot
// handle yet: text typed into a composer was lost when it came to life.
import { useSyncExternalStore, type ReactNode } from "react";

const subscribeToNothing = () => () => undefined;

export function HydrationGate({ children }: { children: ReactNode }) {
  // false on the server and while hydrating, true once React runs this part in the browser.
  const hydrated = useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
  return (
    <fieldset className="hydration-gate" disabled={!hydrated}>
      {children}
    </fieldset>
  );
}
