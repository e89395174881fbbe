"use client";
// Who is signed in, as the shell learned it on the server: for the composer's avatar, the
// profile link and the author's own menus. Client components read it instead of refetching.
import { createContext, useContext, type ReactNode } from "react";

export interface Viewer {
  handle: string;
  displayName: string;
  avatarUrl: string | null;
}

const ViewerContext = createContext<Viewer | null>(null);

export function ViewerProvider({ viewer, children }: { viewer: Viewer; children: ReactNode }) {
  return <ViewerContext value={viewer}>{children}</ViewerContext>;
}

export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error("useViewer needs a signed-in shell (ViewerProvider).");
  return viewer;
}
