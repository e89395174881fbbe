// Icons of files in the chat, drawn as app/_shared/ui/icons.tsx draws its own (currentColor,
// decorative: the control around them is named). They live here because only the chat uses them.
import { IconSvg } from "@/app/_shared/ui/icons";

const paths = {
  paperclip: <path d="m21.4 11.1-9.2 9.2a6 6 0 0 1-8.5-8.5l9.2-9.2a4 4 0 0 1 5.7 5.7l-9.2 9.2a2 2 0 0 1-2.8-2.8l8.5-8.5" />,
  file: <path d="M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8zm0 0v6h6" />,
  download: <path d="M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4m4-5 5 5 5-5m-5 5V3" />,
  play: <path d="M7 4.5v15L19.5 12z" />,
  mic: <path d="M12 2a3 3 0 0 0-3 3v7a3 3 0 0 0 6 0V5a3 3 0 0 0-3-3zm7 8v2a7 7 0 0 1-14 0v-2m7 9v3" />,
};

export type AttachmentIconName = keyof typeof paths;

export function AttachmentIcon({ name, className }: { name: AttachmentIconName; className?: string }) {
  return <IconSvg className={className}>{paths[name]}</IconSvg>;
}
