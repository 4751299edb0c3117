"use client";

import { useQuery } from "@tanstack/react-query";
import type { ChannelView, NotificationView } from "@/lib/api/schemas/channels";
import { fetchJson } from "./fetch-json";

export type { ChannelView, NotificationView };

export function useChannelsQuery() {
  return useQuery({ queryKey: ["channels"], queryFn: () => fetchJson<{ data: ChannelView[] }>("/api/v1/channels").then((r) => r.data), refetchInterval: 15_000 });
}

export function useFailedNotificationsQuery(channelId: number, enabled: boolean) {
  return useQuery({
    queryKey: ["channels", channelId, "notifications", "failed"],
    queryFn: () => fetchJson<{ data: NotificationView[] }>(`/api/v1/channels/${channelId}/notifications?status=failed&limit=20`).then((r) => r.data),
    enabled,
  });
}
