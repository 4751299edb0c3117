"use client";

import { useQueries, useQuery } from "@tanstack/react-query";
import type { PolicyInput, PolicyView } from "@/lib/api/schemas/alerts";
import type { ResourceDetail } from "@/lib/api/schemas/resource";
import type { ResourceListResponse } from "@/lib/api/schemas/resources";
import { ApiError, fetchJson } from "../hooks/fetch-json";

export type { PolicyInput, PolicyView };

export function usePoliciesQuery() {
  return useQuery({ queryKey: ["alert-policies"], queryFn: () => fetchJson<{ data: PolicyView[] }>("/api/v1/alert-policies").then((r) => r.data), refetchInterval: 15_000 });
}

export function usePolicyQuery(id: number) {
  return useQuery({
    queryKey: ["alert-policies", id],
    queryFn: () => fetchJson<{ data: PolicyView }>(`/api/v1/alert-policies/${id}`).then((r) => r.data),
    retry: (n, err) => !(err instanceof ApiError && err.status === 404) && n < 1,
  });
}

/** Names of resources by id (for scopes that list resources); an id that is gone stays unnamed. */
export function useResourceNames(ids: number[]): { names: Map<number, string>; pending: boolean } {
  const unique = [...new Set(ids)];
  const results = useQueries({
    queries: unique.map((id) => ({
      queryKey: ["resources", id],
      queryFn: () => fetchJson<{ data: ResourceDetail }>(`/api/v1/resources/${id}`).then((r) => r.data),
      retry: false,
      staleTime: 60_000,
    })),
  });
  const out = new Map<number, string>();
  results.forEach((r, i) => {
    if (r.data) out.set(unique[i], r.data.name);
  });
  return { names: out, pending: results.some((r) => r.isPending) };
}

/** Resources whose name contains `q`, for the scope picker. */
export function useResourceSearch(kind: string, q: string) {
  const params = new URLSearchParams({ kind, range: "7d", sort: "name", order: "asc", limit: "25" });
  if (q.trim()) params.set("q", q.trim());
  return useQuery({
    queryKey: ["resources", "picker", kind, q.trim()],
    queryFn: () => fetchJson<ResourceListResponse>(`/api/v1/resources?${params}`).then((r) => r.data),
    staleTime: 30_000,
  });
}

export interface BacktestResult {
  from: string;
  to: string;
  coveredFrom: string | null;
  incidents: number;
  resources: { resourceId: number; name: string; incidents: number; firstOpenedAt: string; lastOpenedAt: string; peakValue: number | null }[];
  evaluable: boolean;
  reason?: string;
}

/** Outcome of a backtest call: a result, the endpoint missing (404), or a refusal with its message. */
export type BacktestOutcome = { kind: "ok"; result: BacktestResult } | { kind: "unavailable" } | { kind: "error"; message: string };

export async function runBacktest(body: unknown, signal?: AbortSignal): Promise<BacktestOutcome> {
  const res = await fetch("/api/v1/alert-policies/backtest", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(body),
    signal,
  });
  const json = await res.json().catch(() => null);
  if (res.status === 404 || res.status === 405) return { kind: "unavailable" };
  if (!res.ok) return { kind: "error", message: json?.error?.message ?? `${res.status} ${res.statusText}` };
  return { kind: "ok", result: json.data as BacktestResult };
}
