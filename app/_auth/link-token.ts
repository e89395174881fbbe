"use client";
import { useEffect, useState } from "react";

/**
 * The token of a mailed link. Hearth puts it in the fragment (#token=…), which the browser never
 * sends to a server, so it stays out of request logs and Referer headers; it is read here and
 * removed from the address bar. Undefined until read, null when the link has none.
 */
export function useLinkToken(): string | null | undefined {
  const [token, setToken] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    const found = new URLSearchParams(window.location.hash.slice(1)).get("token");
    if (found) history.replaceState(null, "", window.location.pathname);
    // Read once after mounting: the fragment exists only in the browser.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setToken(found);
  }, []);
  return token;
}
