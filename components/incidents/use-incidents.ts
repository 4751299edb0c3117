"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type { IncidentDetail, IncidentView } from "@/lib/api/schemas/alerts";
import type { IncidentEvidence } from "@/lib/api/schemas/incident-evidence";
import { ApiError, fetchJson } from "../hooks/fetch-json";

export type Incident = IncidentView;
export type IncidentWithTimeline = z.infer<typeof IncidentDetail>;

/** The incidents list; keys go from general to specific: ["incidents", query]. */
export function useIncidentsQuery(query: string, options: { refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: ["incidents", "list", query],
    queryFn: () => fetchJson<{ data: Incident[] }>(`/api/v1/incidents${query ? `?${query}` : ""}`).then((r) => r.data),
    placeholderData: keepPreviousData,
    refetchInterval: options.refetchInterval ?? 30_000,
  });
}

export function useIncidentQuery(id: number) {
  return useQuery({
    queryKey: ["incidents", id],
    queryFn: () => fetchJson<{ data: IncidentWithTimeline }>(`/api/v1/incidents/${id}`).then((r) => r.data),
    retry: (n, err) => !(err instanceof ApiError && err.status === 404) && n < 1,
    refetchInterval: 30_000,
  });
}

export function useIncidentEvidenceQuery(id: number, enabled: boolean) {
  return useQuery({
    queryKey: ["incidents", id, "evidence"],
    queryFn: () => fetchJson<{ data: IncidentEvidence }>(`/api/v1/incidents/${id}/evidence`).then((r) => r.data),
    enabled,
  });
}

export type IncidentActionKind = "acknowledge" | "resolve" | "snooze";

/** Acknowledge, resolve or snooze; the answer (the incident with its timeline) replaces the cached one at once. */
export function useIncidentAction(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, minutes }: { kind: IncidentActionKind; minutes?: number }) =>
      fetchJson<{ data: IncidentWithTimeline }>(`/api/v1/incidents/${id}/${kind}`, {
        method: "POST",
        body: JSON.stringify(kind === "snooze" ? { minutes } : {}),
      }).then((r) => r.data),
    onSuccess: (detail) => {
      qc.setQueryData(["incidents", id], detail);
      void qc.invalidateQueries({ queryKey: ["incidents"] });
    },
  });
}
