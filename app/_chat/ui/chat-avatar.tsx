// A round picture, or the person's initials on a colour derived from their handle (stable, and no
// image request). Decorative: the name always stands next to it.
import type { ChatPerson } from "@/app/_chat/engine/types";

const PIXELS = { small: 32, medium: 40, large: 48 } as const;
const HUES = 8;

export function ChatAvatar({ person, size = "large" }: { person: Pick<ChatPerson, "handle" | "displayName" | "avatarUrl">; size?: keyof typeof PIXELS }) {
  const px = PIXELS[size];
  if (person.avatarUrl) {
    // eslint-disable-next-line @next/next/no-img-element -- private, session-bound media that next/image's optimiser could not fetch
    return <img className={`chat-avatar chat-avatar-${size}`} src={person.avatarUrl} alt="" width={px} height={px} loading="lazy" decoding="async" />;
  }
  return (
    <span className={`chat-avatar chat-avatar-${size} chat-avatar-initials chat-hue-${hueOf(person.handle)}`} aria-hidden="true">
      {initialsOf(person.displayName || person.handle)}
    </span>
  );
}

function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [words[0]];
  return letters
    .map((w) => Array.from(w ?? "")[0] ?? "")
    .join("")
    .toUpperCase();
}

function hueOf(handle: string): number {
  let hash = 0;
  for (const char of handle) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % HUES;
}
