"use client";
// Runs one engine command at a time for a control: `pending` while it runs (a second press is
// ignored), then the failure's code, or `onDone`.
import { useState } from "react";
import { chatErrorCode } from "@/app/_chat/engine/chat-engine-error";

export function useCommand() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = <Result>(command: () => Promise<Result>, onDone?: (result: Result) => void) => {
    if (pending) return;
    setPending(true);
    setError(null);
    command().then(
      (result) => {
        setPending(false);
        onDone?.(result);
      },
      (failure: unknown) => {
        setPending(false);
        setError(chatErrorCode(failure));
      },
    );
  };
  return { pending, error, setError, run };
}
