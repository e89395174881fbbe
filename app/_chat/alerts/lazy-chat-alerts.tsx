"use client";
// ChatAlerts answers only the running chat engine (new arrivals, the unread count, a call ringing),
// which loads after first paint; so its code loads then too, apart from the page's first load.
// Nothing is missed meanwhile: it renders nothing, and it reads the engine's state once there.
import dynamic from "next/dynamic";

export const LazyChatAlerts = dynamic(() => import("./chat-alerts").then((m) => m.ChatAlerts), { ssr: false });
