"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";
import type { InsightsResponse, InsightView } from "@/lib/api/schemas/insights";
import { fetchJson } from "../hooks/fetch-json";

export type SettableState = "open" | "acknowledged" | "muted";

export interface RuleThreshold {
  name: string;
  default: number;
  value: number;
  source: string | null;
}
export interface RuleView {
  id: string;
  title: string;
  service: InsightView["service"];
  pillar: InsightView["pillar"];
  thresholds: RuleThreshold[];
}

/** Findings for an API query string (`severity=critical&state=muted`...). */
export function useInsightList(query: string) {
  return useQuery({
    queryKey: ["insights", "list", query],
    queryFn: () => fetchJson<InsightsResponse>(`/api/v1/insights${query ? `?${query}` : ""}`),
    placeholderData: keepPreviousData,
  });
}

function statesOf(query: string): string[] {
  const raw = new URLSearchParams(query).get("state");
  return raw ? raw.split(",") : ["open", "acknowledged"];
}

function queryStringOf(key: QueryKey): string | null {
  if (key[0] !== "insights") return null;
  const q = key[1] === "list" ? key[2] : key[1];
  return typeof q === "string" ? q : null;
}

/** The finding with its new state in a list fetched for `query`: changed in place, or gone when the list does not show that state. */
function applyState(list: InsightView[], query: string, id: number, state: SettableState): InsightView[] {
  if (!list.some((i) => i.id === id)) return list;
  if (!statesOf(query).includes(state)) return list.filter((i) => i.id !== id);
  return list.map((i) => (i.id === id ? { ...i, state } : i));
}

function applyCounts(counts: InsightsResponse["counts"], before: InsightView, state: SettableState): InsightsResponse["counts"] {
  const next = { ...counts };
  const wasActive = before.state === "open" || before.state === "acknowledged";
  const isActive = state !== "muted";
  if (wasActive && !isActive) {
    next[before.severity] = Math.max(0, next[before.severity] - 1);
    next.muted += 1;
  } else if (!wasActive && isActive && before.state === "muted") {
    next[before.severity] += 1;
    next.muted = Math.max(0, next.muted - 1);
  }
  return next;
}

/**
 * Acknowledge, mute or reopen a finding. Every cached insight list (this page's and the overview's slot) changes
 * at once; the server's answer then replaces the guess.
 */
export function useSetInsightState() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, state }: { insight: InsightView; id: number; state: SettableState }) =>
      fetchJson<{ data: { id: number; state: SettableState } }>(`/api/v1/insights/${id}`, { method: "PATCH", body: JSON.stringify({ state }) }),
    onMutate: async ({ insight, id, state }) => {
      await qc.cancelQueries({ queryKey: ["insights"] });
      const snapshot = qc.getQueriesData<unknown>({ queryKey: ["insights"] });
      for (const [key, data] of snapshot) {
        const query = queryStringOf(key);
        if (query === null || !data) continue;
        if (Array.isArray(data)) {
          qc.setQueryData(key, applyState(data as InsightView[], query, id, state));
        } else if (typeof data === "object" && Array.isArray((data as InsightsResponse).data)) {
          const res = data as InsightsResponse;
          const had = res.data.some((i) => i.id === id);
          qc.setQueryData<InsightsResponse>(key, {
            data: applyState(res.data, query, id, state),
            counts: had ? applyCounts(res.counts, insight, state) : res.counts,
          });
        }
      }
      return { snapshot };
    },
    onError: (_err, _vars, ctx) => {
      for (const [key, data] of ctx?.snapshot ?? []) qc.setQueryData(key, data);
    },
    onSettled: () => qc.invalidateQueries({ queryKey: ["insights"] }),
  });
}

export function useInsightRules() {
  return useQuery({
    queryKey: ["insight-rules"],
    queryFn: () => fetchJson<{ data: RuleView[] }>("/api/v1/insights/rules").then((r) => r.data),
    refetchInterval: false,
  });
}

export function useSaveThresholds() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { ruleId: string; thresholds: Record<string, number> }) =>
      fetchJson<{ data: typeof body }>("/api/v1/insights/rules", { method: "PUT", body: JSON.stringify(body) }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["insight-rules"] }),
  });
}
