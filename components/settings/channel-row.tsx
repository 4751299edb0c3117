"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { TestResult } from "@/lib/api/schemas/channels";
import { useCan } from "../auth/viewer";
import { fetchJson } from "../hooks/fetch-json";
import { useFailedNotificationsQuery, type ChannelView } from "../hooks/use-channels-query";
import { ChannelForm, KIND_LABEL } from "./channel-form";
import { ConfirmRemove } from "../ui/confirm-remove";

const STATUS_TEXT: Record<NonNullable<ChannelView["delivery"]["lastStatus"]>, string> = {
  sent: "Delivered",
  failed: "Failed",
  pending: "Retrying",
  sending: "Sending",
  folded: "Sent in a digest",
};

function ago(iso: string): string {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return new Date(iso).toLocaleString();
}

export function ChannelRow({ channel: c }: { channel: ChannelView }) {
  const qc = useQueryClient();
  const [editing, setEditing] = useState(false);
  const admin = useCan("admin");
  const [showFailed, setShowFailed] = useState(false);
  const failed = useFailedNotificationsQuery(c.id, showFailed);
  const refresh = () => qc.invalidateQueries({ queryKey: ["channels"] });
  const test = useMutation({
    mutationFn: () => fetchJson<{ data: TestResult }>(`/api/v1/channels/${c.id}/test`, { method: "POST" }).then((r) => r.data),
    onSettled: refresh,
  });
  const toggle = useMutation({
    mutationFn: () => fetchJson(`/api/v1/channels/${c.id}`, { method: "PATCH", body: JSON.stringify({ enabled: !c.enabled }) }),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: () => fetchJson(`/api/v1/channels/${c.id}`, { method: "DELETE" }), onSuccess: refresh });
  const d = c.delivery;
  if (editing) {
    return (
      <li className="p-3">
        <ChannelForm channel={c} onDone={() => setEditing(false)} />
      </li>
    );
  }
  return (
    <li className="px-5 py-4" data-testid="channel-row">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <div className="min-w-0">
          <p className="font-medium">
            {c.name}
            <span className="ml-2 rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">{KIND_LABEL[c.kind]}</span>
            {!c.enabled && <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900 dark:bg-amber-500/15 dark:text-amber-300">disabled</span>}
          </p>
          <p className="truncate font-mono text-xs text-zinc-600 dark:text-zinc-400" data-testid="channel-target">
            {c.target}
          </p>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400" data-testid="channel-delivery">
            {d.lastAt && d.lastStatus ? (
              <>
                <span className={d.lastStatus === "failed" ? "text-red-700 dark:text-red-400" : d.lastStatus === "sent" ? "text-emerald-700 dark:text-emerald-400" : ""}>{STATUS_TEXT[d.lastStatus]}</span> {ago(d.lastAt)}
                {d.lastStatus === "failed" && d.lastError ? `: ${d.lastError}` : ""}
              </>
            ) : (
              "Nothing sent yet"
            )}
            {` · ${d.sent24h} sent in 24 h`}
            {d.pending > 0 ? ` · ${d.pending} waiting` : ""}
            {d.failed > 0 && (
              <>
                {" · "}
                <button type="button" className="text-red-700 underline dark:text-red-400" aria-expanded={showFailed} onClick={() => setShowFailed((v) => !v)}>
                  {d.failed} failed
                </button>
              </>
            )}
          </p>
        </div>
        {admin && (
          <div className="flex flex-wrap items-center gap-2">
            <button type="button" className="btn" onClick={() => test.mutate()} disabled={test.isPending || !c.enabled}>
              {test.isPending ? "Sending…" : "Send test"}
              <span className="sr-only"> to {c.name}</span>
            </button>
            <button type="button" className="btn" onClick={() => toggle.mutate()} disabled={toggle.isPending}>
              {c.enabled ? "Disable" : "Enable"}
              <span className="sr-only"> {c.name}</span>
            </button>
            <button type="button" className="btn" onClick={() => setEditing(true)}>
              Edit<span className="sr-only"> {c.name}</span>
            </button>
            <ConfirmRemove name={c.name} confirmLabel={`Remove ${c.name}`} pending={remove.isPending} onConfirm={() => remove.mutate()} />
          </div>
        )}
      </div>
      <div aria-live="polite">
        {test.data && (
          <p className={`mt-2 text-sm ${test.data.ok ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}`} data-testid="channel-test-result">
            {test.data.ok ? `Test delivered (${test.data.info ?? "accepted"}, ${test.data.ms} ms).` : `Test not delivered: ${test.data.error ?? test.data.status}`}
          </p>
        )}
        {test.isError && (
          <p className="mt-2 text-sm text-red-700 dark:text-red-400" data-testid="channel-test-result">
            Could not send the test: {test.error.message}
          </p>
        )}
      </div>
      {showFailed && (
        <div className="mt-3 rounded border border-zinc-200 p-3 text-sm dark:border-zinc-800" data-testid="failed-notifications">
          <p className="mb-2 font-medium">Failed notifications</p>
          {failed.isPending ? (
            <p>Loading…</p>
          ) : failed.isError ? (
            <p className="text-red-700 dark:text-red-400">{failed.error.message}</p>
          ) : (
            <ul className="space-y-1">
              {failed.data.map((n) => (
                <li key={n.id}>
                  <span className="font-mono text-xs">#{n.id}</span> {n.title ?? n.event} · {n.attempts} attempt{n.attempts === 1 ? "" : "s"}
                  {n.lastAttemptAt ? `, last ${ago(n.lastAttemptAt)}` : ""} · <span className="text-red-700 dark:text-red-400">{n.lastError}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </li>
  );
}
