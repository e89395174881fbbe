"use client";
// Short-lived messages about something that happened away from any form (a like that failed, a
// post that was sent). Both live regions exist from the start so screen readers announce what
// appears in them: errors assertively, everything else politely.
import Link from "next/link";
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";

export interface Toast {
  message: string;
  kind?: "status" | "error";
  link?: { href: string; label: string };
}

/** Takes the toast away before its time (when what it announces is seen otherwise); a no-op once another replaced it. */
type DismissToast = () => void;
type ShowToast = (toast: Toast) => DismissToast;

const ToastContext = createContext<ShowToast>(() => () => undefined);

export function useToast(): ShowToast {
  return useContext(ToastContext);
}

const VISIBLE_MS = 6000;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toast, setToast] = useState<(Toast & { serial: number }) | null>(null);
  const serial = useRef(0);

  const show = useCallback<ShowToast>((next) => {
    serial.current += 1;
    const shown = serial.current;
    setToast({ ...next, serial: shown });
    return () => setToast((current) => (current?.serial === shown ? null : current));
  }, []);

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), VISIBLE_MS);
    return () => clearTimeout(timer);
  }, [toast]);

  const body = toast ? (
    <div className="toast" key={toast.serial}>
      <span>{toast.message}</span>
      {toast.link ? <Link href={toast.link.href}>{toast.link.label}</Link> : null}
    </div>
  ) : null;

  return (
    <ToastContext value={show}>
      {children}
      <div className="toast-region">
        <div role="status">{toast?.kind !== "error" ? body : null}</div>
        <div role="alert">{toast?.kind === "error" ? body : null}</div>
      </div>
    </ToastContext>
  );
}
