// The sticky title bar of a chat screen: an optional way back, the page's h1, and actions.
import Link from "next/link";
import type { ReactNode } from "react";
import { Icon } from "@/app/_shared/ui/icons";

interface ChatPageHeaderProps {
  title: ReactNode;
  subtitle?: ReactNode;
  back?: { href: string; label: string };
  children?: ReactNode;
}

export function ChatPageHeader({ title, subtitle, back, children }: ChatPageHeaderProps) {
  return (
    <div className="column-header chat-page-header">
      {back ? (
        <Link href={back.href} className="icon-button" aria-label={back.label}>
          <Icon name="back" />
        </Link>
      ) : null}
      <div className="column-header-text chat-page-title">
        <h1>{title}</h1>
        {subtitle ? <p className="column-header-subtitle">{subtitle}</p> : null}
      </div>
      {children ? <div className="chat-page-actions">{children}</div> : null}
    </div>
  );
}
