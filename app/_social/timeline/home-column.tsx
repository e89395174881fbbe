"use client";
// Home's stories, composer and timeline. The server renders them; their code (TanStack Query, the
// post cards and their actions) loads beside the page rather than before it, so home's first load
// stays within budget (bench/first-load-js.ts). Until it has run, the gate keeps the composer and
// every button disabled.
import dynamic from "next/dynamic";

export const HomeColumn = dynamic(() => import("./home-column-parts").then((m) => m.HomeColumnParts));
