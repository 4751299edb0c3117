"use client";

import { useQuery } from "@tanstack/react-query";
import type { InsightsResponse, InsightView } from "@/lib/api/schemas/insights";
import { ApiError, fetchJson } from "./fetch-json";

export type { InsightView };

/** Open insights, or null while the server has no insights API (404). */
export function useInsightsQuery(query: string) {
  return useQuery({
    queryKey: ["insights", query],
    queryFn: async () => {
      try {
        const body = await fetchJson<InsightsResponse>(`/api/v1/insights${query ? `?${query}` : ""}`);
        return Array.isArray(body?.data) ? body.data : [];
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
    retry: false,
  });
}
