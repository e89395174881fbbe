/**
 * Messages (/chat) still renders inside the social shell; there the shell must offer nothing that
 * publishes (the floating Post button, the "n" shortcut), since people are writing private messages.
 */
export function isChatPath(pathname: string): boolean {
  return pathname === "/chat" || pathname.startsWith("/chat/");
}
