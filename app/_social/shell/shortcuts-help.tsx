"use client";
// The list of keyboard shortcuts, opened with "?" (keyboard-shortcuts.tsx).
import { useTranslations } from "next-intl";
import { ModalDialog } from "@/app/_shared/ui/modal-dialog";
import { SHORTCUTS } from "./shortcuts";

export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const t = useTranslations("shortcuts");
  return (
    <ModalDialog open onClose={onClose} title={t("title")}>
      <div className="dialog-body">
        <dl className="shortcut-list">
          {SHORTCUTS.map((shortcut) => (
            <div key={shortcut.action} className="shortcut-row">
              <dt>
                {shortcut.keys.map((key) => (
                  <kbd key={key}>{key === "Enter" ? t("enterKey") : key}</kbd>
                ))}
              </dt>
              <dd>{t(shortcut.action)}</dd>
            </div>
          ))}
        </dl>
        <p className="muted">{t("note")}</p>
      </div>
    </ModalDialog>
  );
}
