// A group's picture: the one an admin chose (a small JPEG inside the group's state), else the
// initials of its name on a colour derived from its id; with a small two-people mark so a group
// never passes for a person. Decorative: the group's name is always next to it.
import { Avatar } from "@/app/_shared/ui/avatar";
import { IconSvg } from "@/app/_shared/ui/icons";

export function GroupAvatar({ group, size = "large" }: { group: { id: string; name: string; pictureUrl?: string | null }; size?: "medium" | "large" }) {
  return (
    <span className={`chat-group-avatar chat-group-avatar-${size}`} aria-hidden="true">
      <Avatar person={{ handle: group.id, displayName: group.name, avatarUrl: group.pictureUrl ?? null }} size={size} />
      <GroupIcon className="chat-group-mark" />
    </span>
  );
}

/** Two people, drawn in the shared icons' frame (app/_shared/ui/icons.tsx has none for a group). */
export function GroupIcon({ className }: { className?: string }) {
  return (
    <IconSvg className={className}>
      <circle cx="9" cy="8" r="3.5" />
      <path d="M2.5 20a6.5 6.5 0 0 1 13 0M16 4.6a3.5 3.5 0 0 1 0 6.8M18 14.2a6.5 6.5 0 0 1 3.5 5.8" />
    </IconSvg>
  );
}
