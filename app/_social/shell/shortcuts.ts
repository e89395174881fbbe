// The single-key shortcuts (keyboard-shortcuts.tsx) and their list ("?", shortcuts-help.tsx).
export const SHORTCUTS = [
  { keys: ["j"], action: "next" },
  { keys: ["k"], action: "previous" },
  { keys: ["l"], action: "like" },
  { keys: ["r"], action: "reply" },
  { keys: ["Enter"], action: "open" },
  { keys: ["n"], action: "compose" },
  { keys: ["/"], action: "search" },
  { keys: ["?"], action: "help" },
] as const;
