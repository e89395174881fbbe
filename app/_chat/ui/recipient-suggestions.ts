// Whom "New message" suggests for what is typed: people written with (this browser's conversations)
// before people followed (the server's chat directory), each once, a person whose handle is exactly
// what was typed first of all.
import type { ChatPerson } from "@/app/_chat/engine/types";
import { filterPeople } from "./filter-people";

export const MAX_RECIPIENT_SUGGESTIONS = 8;

export function recipientSuggestions(options: { query: string; talkedTo: readonly ChatPerson[]; followed: readonly ChatPerson[] }): ChatPerson[] {
  const typed = options.query.trim().replace(/^@/, "").toLowerCase();
  const seen = new Set<string>();
  const people = [...filterPeople(options.talkedTo, options.query), ...options.followed].filter((person) => {
    if (!person.handle || seen.has(person.userId)) return false;
    seen.add(person.userId);
    return true;
  });
  const exact = people.findIndex((person) => person.handle === typed);
  if (exact > 0) people.unshift(...people.splice(exact, 1));
  return people.slice(0, MAX_RECIPIENT_SUGGESTIONS);
}
