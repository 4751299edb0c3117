"use client";

import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import type { z } from "zod";
import type { ErrorDetailResponse, ErrorGroupRow, ErrorListResponse, ErrorGroupState } from "@/lib/api/schemas/errors";
import { ApiError, fetchJson } from "../hooks/fetch-json";

export type GroupState = z.infer<typeof ErrorGroupState>;
export type ErrorList = z.infer<typeof ErrorListResponse>;
export type ErrorDetailPage = z.infer<typeof ErrorDetailResponse>;
export type { ErrorGroupRow };

const withCursor = (url: string, cursor: string | null) => (cursor ? `${url}${url.includes("?") ? "&" : "?"}cursor=${encodeURIComponent(cursor)}` : url);

export function useErrorGroups(query: string) {
  return useInfiniteQuery({
    queryKey: ["errors", "groups", query],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => fetchJson<ErrorList>(withCursor(`/api/v1/errors?${query}`, pageParam)),
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

export function useErrorGroup(id: number, query: string) {
  return useInfiniteQuery({
    queryKey: ["errors", "group", id, query],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => fetchJson<ErrorDetailPage>(withCursor(`/api/v1/errors/${id}${query ? `?${query}` : ""}`, pageParam)),
    getNextPageParam: (last) => last.nextCursor,
    retry: (n, err) => !(err instanceof ApiError && err.status === 404) && n < 1,
  });
}

/** Sets a group's state; the lists and the group page show it at once and then refetch. */
export function useSetErrorState() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, state }: { id: number; state: GroupState }) =>
      fetchJson<{ data: { id: number; state: GroupState; resolvedAt: string | null } }>(`/api/v1/errors/${id}`, { method: "PATCH", body: JSON.stringify({ state }) }),
    onMutate: async ({ id, state }) => {
      await qc.cancelQueries({ queryKey: ["errors"] });
      const lists = qc.getQueriesData<InfiniteData<ErrorList>>({ queryKey: ["errors", "groups"] });
      const details = qc.getQueriesData<InfiniteData<ErrorDetailPage>>({ queryKey: ["errors", "group", id] });
      for (const [key, data] of lists) {
        if (!data) continue;
        qc.setQueryData<InfiniteData<ErrorList>>(key, {
          ...data,
          pages: data.pages.map((p) => ({ ...p, data: p.data.map((g) => (g.id === id ? { ...g, state } : g)) })),
        });
      }
      for (const [key, data] of details) {
        if (!data) continue;
        qc.setQueryData<InfiniteData<ErrorDetailPage>>(key, { ...data, pages: data.pages.map((p) => ({ ...p, data: { ...p.data, state } })) });
      }
      return { snapshot: [...lists, ...details] };
    },
    onError: (_err, _vars, ctx) => {
      for (const [key, data] of ctx?.snapshot ?? []) qc.setQueryData(key, data);
    },
    onSettled: () => qc.invalidateQueries({ queryKey: ["errors"] }),
  });
}
