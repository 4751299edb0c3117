"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "./fetch-json";

export interface HealthView {
  ok: boolean;
  status?: "ok" | "degraded" | "down";
  problems?: string[];
  database: { ok: boolean; error?: string };
  migrations: { ok: boolean; pending: string[] };
  workers: { lastHeartbeat: string | null; alive: number };
}

export function useHealthQuery() {
  return useQuery({ queryKey: ["health"], queryFn: () => fetchJson<HealthView>("/api/health") });
}
