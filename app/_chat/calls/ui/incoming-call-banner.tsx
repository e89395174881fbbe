"use client";
// Ringing, on every page of Hearth, in every tab and on every device of the callee: who calls, and
// Accept / Decline. When another device of this person answers or declines, the banner says so for
// a moment and goes. Accepting moves the keys to this tab (if another held them) and opens the
// call's page with a full page load.
import dynamic from "next/dynamic";
import { useTranslations } from "next-intl";
import { useCalls } from "@/app/_chat/engine/chat-engine-provider";
import "./calls.css";

// The banner watches on every page; what it shows loads when a call first rings.
const IncomingCall = dynamic(() => import("./incoming-call").then((m) => m.IncomingCall), { ssr: false });

export function IncomingCallBanner() {
  const t = useTranslations("chat.calls");
  const { incoming } = useCalls();
  if (!incoming.length) return null;
  return (
    <section className="call-incoming-stack" aria-label={t("incomingLabel")}>
      {incoming.map((call) => (
        <IncomingCall key={call.callId} call={call} />
      ))}
    </section>
  );
}
