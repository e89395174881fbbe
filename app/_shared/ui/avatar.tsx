// A round profile picture, or the person's initials on a colour derived from their handle when
// they have none (so the placeholder is stable and needs no image request).
interface AvatarProps {
  person: { handle: string; displayName: string; avatarUrl: string | null };
  size?: "small" | "medium" | "large" | "huge";
}

const PIXELS = { small: 24, medium: 40, large: 48, huge: 128 } as const;
const HUES = 8;

export function Avatar({ person, size = "medium" }: AvatarProps) {
  const px = PIXELS[size];
  if (person.avatarUrl) {
    // Decorative: the name is always next to it.
    // eslint-disable-next-line @next/next/no-img-element -- private, session-bound media that next/image's optimiser could not fetch
    return <img className={`avatar avatar-${size}`} src={person.avatarUrl} alt="" width={px} height={px} loading="lazy" decoding="async" />;
  }
  return (
    <span className={`avatar avatar-${size} avatar-initials avatar-hue-${hueOf(person.handle)}`} aria-hidden="true">
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
