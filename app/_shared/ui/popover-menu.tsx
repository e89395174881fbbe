"use client";
// A menu button (WAI-ARIA menu pattern): opening moves focus to the first item, arrow keys,
// Home and End move between items, Escape or Tab close it, and choosing an item returns focus to
// the button before the item acts (so a dialog it opens gives focus back to the button).
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { Icon, type IconName } from "./icons";

export interface MenuItem {
  key: string;
  label: string;
  icon?: IconName;
  danger?: boolean;
  onSelect: () => void;
}

interface PopoverMenuProps {
  /** The button's accessible name, e.g. "More options for this post". */
  label: string;
  /** What the button shows; an icon by default. */
  children?: ReactNode;
  buttonClassName?: string;
  /** Extra attributes for the button (e.g. data-action for keyboard shortcuts). */
  buttonProps?: Record<`data-${string}`, string> & { "aria-pressed"?: boolean };
  items: MenuItem[];
  align?: "start" | "end";
}

export function PopoverMenu({ label, children, buttonClassName, buttonProps, items, align = "end" }: PopoverMenuProps) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);

  const itemsOf = () => Array.from(menuRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? []);

  useEffect(() => {
    if (!open) return;
    itemsOf()[0]?.focus();
    function onPointerDown(event: PointerEvent) {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    }
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [open]);

  function close(refocus: boolean) {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  }

  function onMenuKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const all = itemsOf();
    const index = all.indexOf(document.activeElement as HTMLButtonElement);
    const focusAt = (i: number) => all[(i + all.length) % all.length]?.focus();
    switch (event.key) {
      case "ArrowDown":
        focusAt(index + 1);
        break;
      case "ArrowUp":
        focusAt(index - 1);
        break;
      case "Home":
        focusAt(0);
        break;
      case "End":
        focusAt(all.length - 1);
        break;
      case "Escape":
        close(true);
        break;
      case "Tab":
        setOpen(false);
        return;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  }

  function onButtonKeyDown(event: KeyboardEvent<HTMLButtonElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      setOpen(true);
    }
  }

  return (
    <div className="menu-anchor">
      <button
        ref={buttonRef}
        type="button"
        className={buttonClassName ?? "icon-button"}
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={onButtonKeyDown}
        {...buttonProps}
      >
        {children ?? <Icon name="more" />}
      </button>
      {open ? (
        <div ref={menuRef} id={menuId} role="menu" aria-label={label} className={`menu menu-${align}`} onKeyDown={onMenuKeyDown}>
          {items.map((item) => (
            <button
              key={item.key}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className={item.danger ? "menu-item menu-item-danger" : "menu-item"}
              onClick={() => {
                close(true);
                item.onSelect();
              }}
            >
              {item.icon ? <Icon name={item.icon} /> : null}
              {item.label}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
