"use client";

import { createContext, useContext } from "react";
import { hasRole, type Role } from "@/lib/auth/roles";

/** The signed-in user, as the pages see them (the server checks every request again). */
export interface Viewer {
  name: string;
  email: string;
  role: Role;
}

const ViewerContext = createContext<Viewer | null>(null);

export function ViewerProvider({ viewer, children }: { viewer: Viewer; children: React.ReactNode }) {
  return <ViewerContext.Provider value={viewer}>{children}</ViewerContext.Provider>;
}

export function useViewer(): Viewer | null {
  return useContext(ViewerContext);
}

/** Whether the signed-in user's role reaches `min`: controls they cannot use are not shown. */
export function useCan(min: Role): boolean {
  const viewer = useViewer();
  return viewer !== null && hasRole(viewer.role, min);
}
