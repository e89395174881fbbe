"use client";
// Single-key shortcuts, as on X: j/k move between posts, l likes, r replies, Enter opens, n
// writes, / searches, ? lists them all. They stay silent while the person types in a field, while
// a dialog or menu is open, and when a modifier key is held (browser and screen-reader keys). They
// belong to the social shell, so Messages (its own frame) never opens the public composer.
import { useRouter } from "next/navigation";
import dynamic from "next/dynamic";
import { useEffect, useState } from "react";
import { useOpenComposer } from "../composer/composer-provider";

// The list of shortcuts ("?") loads when first asked for.
const ShortcutsHelp = dynamic(() => import("./shortcuts-help").then((m) => m.ShortcutsHelp), { ssr: false });

export function KeyboardShortcuts() {
  const [helpOpen, setHelpOpen] = useState(false);
  const openComposer = useOpenComposer();
  const router = useRouter();

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target instanceof HTMLElement ? event.target : null;
      if (target && isTypingIn(target)) return;
      if (document.querySelector("dialog[open]") || target?.closest("[role='menu']")) return;
      const current = focusedPost();
      switch (event.key) {
        case "j":
          movePostFocus(current, 1);
          break;
        case "k":
          movePostFocus(current, -1);
          break;
        case "l":
          if (!clickAction(current, "like")) return;
          break;
        case "r":
          if (!clickAction(current, "reply")) return;
          break;
        case "Enter":
          // Only on the article itself: Enter on a link or button inside must keep its meaning.
          if (!current || target !== current || !current.dataset.href) return;
          router.push(current.dataset.href);
          break;
        case "n":
          compose();
          break;
        case "/":
          search();
          break;
        case "?":
          setHelpOpen(true);
          break;
        default:
          return;
      }
      event.preventDefault();
    }

    function compose() {
      const primary = document.querySelector<HTMLTextAreaElement>('[data-composer-textarea="primary"]');
      if (primary && isShown(primary)) {
        primary.focus();
        primary.scrollIntoView({ block: "center" });
      } else {
        openComposer({ kind: "new" });
      }
    }

    function search() {
      const box = document.getElementById("global-search");
      if (box && isShown(box)) box.focus();
      else router.push("/search");
    }

    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [openComposer, router]);

  return helpOpen ? <ShortcutsHelp onClose={() => setHelpOpen(false)} /> : null;
}

function isTypingIn(element: HTMLElement): boolean {
  if (element.isContentEditable) return true;
  if (element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement) return true;
  return element instanceof HTMLInputElement && !["checkbox", "radio", "button", "submit", "reset", "file", "range", "color"].includes(element.type);
}

function isShown(element: HTMLElement): boolean {
  return element.getClientRects().length > 0;
}

function focusedPost(): HTMLElement | null {
  const active = document.activeElement;
  return active instanceof Element ? active.closest<HTMLElement>("main article[data-post-id]") : null;
}

function movePostFocus(current: HTMLElement | null, step: 1 | -1): void {
  const posts = Array.from(document.querySelectorAll<HTMLElement>("main article[data-post-id]")).filter(isShown);
  if (posts.length === 0) return;
  let next: HTMLElement | undefined;
  if (current && posts.includes(current)) {
    next = posts[posts.indexOf(current) + step];
  } else {
    // Nothing focused yet: start from the first post in view (below the sticky header).
    next = posts.find((post) => post.getBoundingClientRect().bottom > 80) ?? posts[0];
  }
  if (!next) return;
  next.focus({ preventScroll: true });
  next.scrollIntoView({ block: "nearest" });
}

function clickAction(post: HTMLElement | null, action: "like" | "reply"): boolean {
  const button = post?.querySelector<HTMLButtonElement>(`.post-actions [data-action="${action}"]`);
  if (!button) return false;
  button.click();
  return true;
}
