// Invented people: handle, display name, bio and language, from the built-in word lists. About a
// third are German-speaking. Handles follow the app's rules (3–30 of a-z, 0-9, _) and are unique.
import type { Random } from "./random";
import { TOPICS } from "./topics";
import {
  DISPLAY_NAME_EMOJI,
  ENGLISH_CITIES,
  ENGLISH_FIRST_NAMES,
  ENGLISH_INTERESTS,
  ENGLISH_LAST_NAMES,
  ENGLISH_ROLES,
  ENGLISH_TAGLINES,
  GERMAN_CITIES,
  GERMAN_FIRST_NAMES,
  GERMAN_INTERESTS,
  GERMAN_LAST_NAMES,
  GERMAN_ROLES,
  GERMAN_TAGLINES,
  HANDLE_HOBBY_SUFFIXES,
} from "./word-lists";

export interface Person {
  handle: string;
  displayName: string;
  bio: string;
  /** The UI language chosen at sign-up; null follows the browser. */
  locale: "en" | "de" | null;
  /** Writes mostly in German. */
  german: boolean;
  /** Indexes into TOPICS: what this person posts about. */
  topics: number[];
}

const HANDLE_MAX = 30;

function asciiFold(text: string): string {
  return text
    .toLowerCase()
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .normalize("NFD")
    .replace(/[^a-z0-9]/g, "");
}

function handleCandidate(random: Random, first: string, last: string): string {
  const f = asciiFold(first);
  const l = asciiFold(last);
  const year = String(random.between(62, 105) % 100).padStart(2, "0");
  const forms = [
    `${f}_${l}`,
    `${f}${l}`,
    `${f[0]}${l}`,
    `${f}_${l[0]}`,
    `${f}${l[0]}`,
    `${f}${year}`,
    `${f}_${random.pick(HANDLE_HOBBY_SUFFIXES)}`,
    `${l}_${f[0]}`,
    `${l}${f[0]}${year}`,
    `the_${f}`,
  ];
  return random.pick(forms).slice(0, HANDLE_MAX);
}

function displayNameOf(random: Random, first: string, last: string, german: boolean): string {
  const roll = random.next();
  if (roll < 0.55) return `${first} ${last}`;
  if (roll < 0.68) return `${first} ${last[0]}.`;
  if (roll < 0.76) return first;
  if (roll < 0.86) return `${first} ${last} ${random.pick(DISPLAY_NAME_EMOJI)}`;
  if (roll < 0.93) return `${first} | ${random.pick(german ? GERMAN_CITIES : ENGLISH_CITIES)}`;
  return `${random.chance(0.5) ? "Dr. " : ""}${first} ${last}`.trim();
}

function bioOf(random: Random, german: boolean): string {
  if (random.chance(0.08)) return "";
  const roles = german ? GERMAN_ROLES : ENGLISH_ROLES;
  const cities = german ? GERMAN_CITIES : ENGLISH_CITIES;
  const interests = german ? GERMAN_INTERESTS : ENGLISH_INTERESTS;
  const taglines = german ? GERMAN_TAGLINES : ENGLISH_TAGLINES;
  const picked = new Set<string>();
  while (picked.size < 3) picked.add(random.pick(interests));
  const [a, b, c] = [...picked] as [string, string, string];
  const and = german ? "und" : "and";
  const forms = german
    ? [
        `${random.pick(roles)} in ${random.pick(cities)}. ${a}, ${b} ${and} ${c}.`,
        `${random.pick(roles)}. ${random.pick(taglines)}`,
        `Meistens ${a} ${and} ${b}. Manchmal ${c}.`,
        `${random.pick(cities)} · ${a} · ${b}`,
      ]
    : [
        `${random.pick(roles)} in ${random.pick(cities)}. ${a}, ${b} ${and} ${c}.`,
        `${random.pick(roles)}. ${random.pick(taglines)}`,
        `Mostly ${a} ${and} ${b}. Sometimes ${c}.`,
        `${random.pick(cities)} · ${a} · ${b}`,
      ];
  const form = random.int(forms.length);
  const tagline = form !== 1 && random.chance(0.3) ? ` ${random.pick(taglines)}` : "";
  return `${forms[form]}${tagline}`.trim().slice(0, 300);
}

/** `count` people with handles not in `taken` (which is extended with theirs). */
export function makePeople(options: { count: number; random: Random; taken: Set<string> }): Person[] {
  const { random, taken } = options;
  const people: Person[] = [];
  for (let i = 0; i < options.count; i++) {
    const german = random.chance(0.35);
    const first = random.pick(german ? GERMAN_FIRST_NAMES : ENGLISH_FIRST_NAMES);
    const last = random.pick(german ? GERMAN_LAST_NAMES : ENGLISH_LAST_NAMES);
    let handle = handleCandidate(random, first, last);
    if (handle.length < 3) handle = `${handle}_${random.hex(3)}`;
    for (let attempt = 0; taken.has(handle); attempt++) {
      const suffix = attempt < 20 ? `_${random.between(1, 99)}` : `_${random.hex(6)}`;
      handle = `${handleCandidate(random, first, last).slice(0, HANDLE_MAX - suffix.length)}${suffix}`;
    }
    taken.add(handle);
    const topicCount = 2 + random.int(2);
    const topics = new Set<number>();
    while (topics.size < topicCount) topics.add(random.int(TOPICS.length));
    people.push({
      handle,
      displayName: displayNameOf(random, first, last, german).slice(0, 50),
      bio: bioOf(random, german),
      locale: german ? (random.chance(0.7) ? "de" : null) : random.chance(0.3) ? "en" : null,
      german,
      topics: [...topics],
    });
  }
  return people;
}
