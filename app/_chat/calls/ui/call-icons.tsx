// The call controls' icons, drawn in the shared icons' frame (app/_shared/ui/icons.tsx):
// currentColor strokes, decorative, the control around them named.
import type { ReactNode } from "react";
import { IconSvg } from "@/app/_shared/ui/icons";

const paths = {
  phone: (
    <path d="M22 16.9v3a2 2 0 0 1-2.2 2 19.8 19.8 0 0 1-8.6-3.1 19.5 19.5 0 0 1-6-6A19.8 19.8 0 0 1 2.1 4.2 2 2 0 0 1 4.1 2h3a2 2 0 0 1 2 1.7c.1.9.4 1.8.7 2.7a2 2 0 0 1-.5 2.1L8 9.8a16 16 0 0 0 6 6l1.3-1.3a2 2 0 0 1 2.1-.4c.9.3 1.8.6 2.7.7a2 2 0 0 1 1.7 2z" />
  ),
  hangUp: (
    <path d="M3.7 14.6 2.3 13.2a1.6 1.6 0 0 1 0-2.3C4.9 8.4 8.4 7 12 7s7.1 1.4 9.7 3.9a1.6 1.6 0 0 1 0 2.3l-1.4 1.4a1.6 1.6 0 0 1-2.1.1l-1.8-1.4a1.6 1.6 0 0 1-.6-1.3V10a12 12 0 0 0-7.6 0v2a1.6 1.6 0 0 1-.6 1.3l-1.8 1.4a1.6 1.6 0 0 1-2.1-.1z" />
  ),
  video: (
    <>
      <rect x="2" y="6" width="14" height="12" rx="2" />
      <path d="m16 10 6-3v10l-6-3" />
    </>
  ),
  videoOff: (
    <>
      <path d="M16 16v0a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h2m4 0h4a2 2 0 0 1 2 2v3.3l6-3.3v10" />
      <path d="m2 2 20 20" />
    </>
  ),
  mic: (
    <>
      <rect x="9" y="2" width="6" height="12" rx="3" />
      <path d="M19 10v1a7 7 0 0 1-14 0v-1M12 18v4M8 22h8" />
    </>
  ),
  micOff: (
    <>
      <path d="M9 9v2a3 3 0 0 0 5.1 2.1M15 9.3V5a3 3 0 0 0-5.9-.6" />
      <path d="M17 16.9A7 7 0 0 1 5 11v-1m14 0v1a7 7 0 0 1-.1 1.2M12 18v4M8 22h8M2 2l20 20" />
    </>
  ),
  speaker: (
    <>
      <path d="M11 5 6 9H2v6h4l5 4z" />
      <path d="M15.5 8.5a5 5 0 0 1 0 7M19 5a10 10 0 0 1 0 14" />
    </>
  ),
  screenShare: (
    <>
      <rect x="2" y="4" width="20" height="13" rx="2" />
      <path d="M8 21h8M12 17v4M12 13V8m-2.5 2.5L12 8l2.5 2.5" />
    </>
  ),
  grid: (
    <>
      <rect x="3" y="3" width="8" height="8" rx="1" />
      <rect x="13" y="3" width="8" height="8" rx="1" />
      <rect x="3" y="13" width="8" height="8" rx="1" />
      <rect x="13" y="13" width="8" height="8" rx="1" />
    </>
  ),
  spotlight: (
    <>
      <rect x="3" y="3" width="18" height="12" rx="1" />
      <rect x="3" y="17" width="5" height="4" rx="1" />
      <rect x="9.5" y="17" width="5" height="4" rx="1" />
      <rect x="16" y="17" width="5" height="4" rx="1" />
    </>
  ),
} satisfies Record<string, ReactNode>;

export type CallIconName = keyof typeof paths;

export function CallIcon({ name, className }: { name: CallIconName; className?: string }) {
  return <IconSvg className={className}>{paths[name]}</IconSvg>;
}
