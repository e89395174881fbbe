// The sticky title bar of a chat screen: an optional way back, the page's h1, and actions.
import Link from "next/link";
import type { ReactNode } from "react";
import { Icon } from "@/app/_shared/ui/icons";

interface ChatPageHeaderProps {
  title: ReactNode;
  subtitle?: ReactNode;
  back?: { href: string; label: string };
  children?: ReactNode;
  /** 2 where the page's h1 is another pane's (the list beside an open conversation). */
  level?: 1 | 2;
}

/** The way back to a list, which a wide screen shows beside the conversation, where it needs no button. */
const LISTS = new Set(["/chat", "/chat/requests"]);

export function ChatPageHeader({ title, subtitle, back, children, level = 1 }: ChatPageHeaderProps) {
  const Heading = level === 1 ? "h1" : "h2";
  return (
    <div className="column-header chat-page-header">
      {back ? (
        <Link href={back.href} className={LISTS.has(back.href) ? "icon-button chat-back-to-list" : "icon-button"} aria-label={back.label}>
          <Icon name="back" />
        </Link>
      ) : null}
      <div className="column-header-text chat-page-title">
        <Heading>{title}</Heading>
        {subtitle ? <p className="column-header-subtitle">{subtitle}</p> : null}
      </div>
      {children ? <div className="chat-page-actions">{children}</div> : null}
    </div>
  );
}
