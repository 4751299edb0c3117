"use client";

import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import type { ErrorListResponse } from "@/lib/api/schemas/errors";
import type { InvocationDetail } from "@/lib/api/schemas/invocation";
import type { InvocationListResponse } from "@/lib/api/schemas/invocations";
import type { Overview } from "@/lib/api/schemas/overview";
import type { DeploysData } from "@/lib/api/schemas/deploys";
import type { PerformanceResponse } from "@/lib/api/schemas/performance";
import type { ResourceDetail, ResourceTotals } from "@/lib/api/schemas/resource";
import type { ResourceListResponse } from "@/lib/api/schemas/resources";
import type { SeriesData } from "@/lib/api/schemas/series";
import type { z } from "zod";
import { ApiError, fetchJson } from "./fetch-json";

export type ErrorList = z.infer<typeof ErrorListResponse>;

/** Keys go from general to specific: [entity, id?, sub?, query]. */
export function useOverviewQuery(query: string) {
  return useQuery({
    queryKey: ["overview", query],
    queryFn: () => fetchJson<{ data: Overview; meta: { from: number; to: number; prevFrom: number; prevTo: number; grain: string } }>(`/api/v1/overview?${query}`),
    placeholderData: keepPreviousData,
  });
}

export function useResourcesQuery(query: string, pageSize: number) {
  return useInfiniteQuery({
    queryKey: ["resources", query, pageSize],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      fetchJson<ResourceListResponse>(`/api/v1/resources?${query}&limit=${pageSize}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ""}`),
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

export function useResourceQuery(id: number) {
  return useQuery({
    queryKey: ["resources", id],
    queryFn: () => fetchJson<{ data: ResourceDetail }>(`/api/v1/resources/${id}`).then((r) => r.data),
    retry: (n, err) => !(err instanceof ApiError && err.status === 404) && n < 1,
  });
}

export function useResourceTotalsQuery(id: number, rangeQuery: string) {
  return useQuery({
    queryKey: ["resources", id, "totals", rangeQuery],
    queryFn: () => fetchJson<{ data: ResourceTotals }>(`/api/v1/resources/${id}/totals?${rangeQuery}`).then((r) => r.data),
    placeholderData: keepPreviousData,
  });
}

export function usePerformanceQuery(id: number, rangeQuery: string) {
  return useQuery({
    queryKey: ["resources", id, "performance", rangeQuery],
    queryFn: () => fetchJson<PerformanceResponse>(`/api/v1/resources/${id}/performance?${rangeQuery}`).then((r) => r.data),
    placeholderData: keepPreviousData,
  });
}

export function useDeploysQuery(id: number, rangeQuery: string) {
  return useQuery({
    queryKey: ["resources", id, "deploys", rangeQuery],
    queryFn: () => fetchJson<{ data: DeploysData }>(`/api/v1/resources/${id}/deploys?${rangeQuery}`).then((r) => r.data),
    placeholderData: keepPreviousData,
  });
}

export function useSeriesQuery(id: number, query: string, enabled = true) {
  return useQuery({
    queryKey: ["resources", id, "series", query],
    queryFn: () => fetchJson<{ data: SeriesData; meta: { from: number; to: number } }>(`/api/v1/resources/${id}/series?${query}`),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useInvocationsQuery(id: number, query: string) {
  return useInfiniteQuery({
    queryKey: ["resources", id, "invocations", query],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      fetchJson<InvocationListResponse>(`/api/v1/resources/${id}/invocations?${query}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ""}`),
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

export function useInvocationQuery(id: number, requestId: string, attempt: number | null) {
  return useQuery({
    queryKey: ["resources", id, "invocations", requestId, attempt],
    queryFn: () =>
      fetchJson<{ data: InvocationDetail }>(`/api/v1/resources/${id}/invocations/${encodeURIComponent(requestId)}${attempt ? `?attempt=${attempt}` : ""}`).then((r) => r.data),
    retry: (n, err) => !(err instanceof ApiError && err.status === 404) && n < 1,
  });
}

export function useErrorsQuery(query: string) {
  return useQuery({
    queryKey: ["errors", query],
    queryFn: () => fetchJson<ErrorList>(`/api/v1/errors?${query}`),
    placeholderData: keepPreviousData,
  });
}
