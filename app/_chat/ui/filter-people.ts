// Search-as-you-type over a list of people: a person matches when their display name or handle
// contains what was typed, ignoring case and accents ("zoe" finds Zoë), and a leading "@".
import type { ChatPerson } from "@/app/_chat/engine/types";

export function filterPeople<Person extends Pick<ChatPerson, "handle" | "displayName">>(people: readonly Person[], query: string): readonly Person[] {
  const wanted = fold(query.trim().replace(/^@/, ""));
  if (!wanted) return people;
  return people.filter((person) => fold(person.displayName).includes(wanted) || fold(person.handle).includes(wanted));
}

function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase();
}
