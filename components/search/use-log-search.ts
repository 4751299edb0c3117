"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type { LogContextResponse, LogSearchHistogramResponse, LogSearchHit, LogSearchResponse, SavedSearchInput, SavedSearchView } from "@/lib/api/schemas/search";
import { fetchJson } from "../hooks/fetch-json";

export type Hit = z.infer<typeof LogSearchHit>;

/** Pages of hits, newest first; no refetch on an interval, so "load more" pages stay put while reading. */
export function useLogSearch(query: string | null) {
  return useInfiniteQuery({
    queryKey: ["log-search", query],
    enabled: query !== null,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => fetchJson<LogSearchResponse>(`/api/v1/search?${query}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ""}`),
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: false,
    retry: false,
  });
}

export interface FunctionOption {
  id: number;
  name: string;
  region: string | null;
}

export function useFunctionOptions() {
  return useQuery({
    queryKey: ["log-search", "functions"],
    queryFn: () =>
      fetchJson<{ data: { id: number; name: string; region?: string | null }[] }>("/api/v1/resources?kind=lambda&sort=name&order=asc&limit=500").then((r) =>
        r.data.map((f): FunctionOption => ({ id: f.id, name: f.name, region: f.region ?? null })),
      ),
    refetchInterval: false,
    staleTime: 5 * 60_000,
  });
}

/** Matches per time bucket over the whole range (the same query as the hits, without paging). */
export function useSearchHistogram(query: string | null) {
  return useQuery({
    queryKey: ["log-search", "histogram", query],
    enabled: query !== null,
    queryFn: () => fetchJson<LogSearchHistogramResponse>(`/api/v1/search/histogram?${query}`).then((r) => r.data),
    refetchInterval: false,
    retry: false,
  });
}

/** The lines around one hit in its log stream, loaded when asked for. */
export function useLogContext(hit: Hit, n: number, enabled: boolean) {
  return useQuery({
    queryKey: ["log-search", "context", hit.eventId, hit.ts, n],
    enabled,
    queryFn: () => fetchJson<LogContextResponse>(`/api/v1/search/context?${new URLSearchParams({ event: hit.eventId, ts: hit.ts, n: String(n) })}`).then((r) => r.data),
    refetchInterval: false,
    staleTime: Infinity,
  });
}

const SAVED = ["log-search", "saved"];

export function useSavedSearches() {
  return useQuery({ queryKey: SAVED, queryFn: () => fetchJson<{ data: SavedSearchView[] }>("/api/v1/saved-searches").then((r) => r.data), refetchInterval: false });
}

export function useSaveSearch() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: SavedSearchInput) => fetchJson<{ data: SavedSearchView }>("/api/v1/saved-searches", { method: "POST", body: JSON.stringify(input) }).then((r) => r.data),
    onSuccess: () => qc.invalidateQueries({ queryKey: SAVED }),
  });
}

export function useDeleteSavedSearch() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => fetchJson<void>(`/api/v1/saved-searches/${id}`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: SAVED }),
  });
}
