"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import type { AuditAction, AuditEventView, AuditResponse } from "@/lib/api/schemas/audit";
import { fetchJson } from "../hooks/fetch-json";
import { EmptyState, ErrorState, SkeletonRows } from "../ui/states";

const PAGE = 25;

const ACTION_LABEL: Record<AuditAction, string> = {
  "account.added": "Account added",
  "account.removed": "Account removed",
  "account.firehose_key_rotated": "Firehose key rotated",
  "channel.added": "Channel added",
  "channel.changed": "Channel changed",
  "channel.removed": "Channel removed",
  "channel.tested": "Channel tested",
  "alert_policy.added": "Alert policy added",
  "alert_policy.changed": "Alert policy changed",
  "alert_policy.removed": "Alert policy removed",
  "settings.sandbox_changed": "Sandbox switched",
  "settings.sso_changed": "Single sign-on changed",
  "secrets.key_rotated": "Secret key rotated",
  "user.added": "User added",
  "user.removed": "User removed",
  "user.role_changed": "Role changed",
  "user.password_reset": "Password reset",
  "user.password_link": "Password link made",
  "auth.signed_in": "Signed in",
  "auth.sign_in_failed": "Sign-in failed",
  "api_token.created": "API token made",
  "api_token.revoked": "API token revoked",
  "auth.sso_signed_in": "Signed in with SSO",
  "auth.sso_refused": "SSO sign-in refused",
};

function summary(e: AuditEventView): string {
  const d = e.detail as Record<string, unknown> | null;
  if (!d) return "";
  if (Array.isArray(d.changed)) return `changed ${d.changed.join(", ")}`;
  if (d.changed && typeof d.changed === "object") return `changed ${Object.keys(d.changed).join(", ")}`;
  if (typeof d.enabled === "boolean" && e.action === "settings.sandbox_changed") return d.enabled ? "on" : "off";
  if (typeof d.status === "string") return d.status;
  if (e.action === "secrets.key_rotated") return `${String(d.values)} value(s) to key ${String(d.to)}`;
  if (e.action === "api_token.created") return `${String(d.scope)} token ${String(d.hint)} for ${String(d.user)}`;
  if (e.action === "api_token.revoked") return `${String(d.hint)} of ${String(d.user)}`;
  if (typeof d.hint === "string") return `new key ${d.hint}`;
  if (e.action === "user.role_changed") return `${String(d.from)} → ${String(d.to)}`;
  if (typeof d.role === "string") return d.role;
  if (e.action === "user.password_link") return d.emailed ? "e-mailed" : "shown to the owner";
  if (e.action === "user.password_reset" && d.by === "link") return "with a link";
  return "";
}

export function AuditTable({ events }: { events: AuditEventView[] }) {
  return (
    <table className="w-full text-left text-sm">
      <thead className="text-xs uppercase text-zinc-600 dark:text-zinc-400">
        <tr>
          <th className="px-4 py-2 font-medium">When</th>
          <th className="px-4 py-2 font-medium">Who</th>
          <th className="px-4 py-2 font-medium">What</th>
          <th className="px-4 py-2 font-medium">Target</th>
          <th className="px-4 py-2 font-medium">Detail</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
        {events.map((e) => (
          <tr key={e.id} data-testid="audit-entry" data-action={e.action}>
            <td className="whitespace-nowrap px-4 py-2 tabular-nums">
              <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time>
            </td>
            <td className="px-4 py-2">
              {e.actor}
              {e.ip ? <span className="text-zinc-600 dark:text-zinc-400"> ({e.ip})</span> : null}
            </td>
            <td className="px-4 py-2">{ACTION_LABEL[e.action as AuditAction] ?? e.action}</td>
            <td className="px-4 py-2">
              {e.target.name ?? e.target.kind}
              {e.target.id ? <span className="text-zinc-600 dark:text-zinc-400"> #{e.target.id}</span> : null}
            </td>
            <td className="px-4 py-2 text-zinc-600 dark:text-zinc-400">{summary(e)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AuditSection() {
  const q = useInfiniteQuery({
    queryKey: ["audit"],
    initialPageParam: null as number | null,
    queryFn: ({ pageParam }) => fetchJson<AuditResponse>(`/api/v1/audit?limit=${PAGE}${pageParam ? `&before=${pageParam}` : ""}`),
    getNextPageParam: (last) => last.nextBefore,
  });
  const events = q.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <section aria-labelledby="audit-heading" className="mt-8" data-testid="audit-log">
      <h2 id="audit-heading" className="mb-1 text-sm font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
        Audit log
      </h2>
      <p className="mb-3 text-xs text-zinc-600 dark:text-zinc-400">Who changed accounts, channels, alert policies and settings, and when. No sign-in yet: every change is recorded as &ldquo;local&rdquo;.</p>
      {q.isPending ? (
        <SkeletonRows />
      ) : q.isError ? (
        <ErrorState error={q.error} />
      ) : events.length === 0 ? (
        <EmptyState title="Nothing recorded yet">
          <p>Adding or removing an account, a channel or an alert policy, or switching the sandbox, appears here.</p>
        </EmptyState>
      ) : (
        <div className="card overflow-x-auto" tabIndex={0} role="region" aria-label="Audit log, scrolls sideways">
          <AuditTable events={events} />
          {q.hasNextPage && (
            <div className="border-t border-zinc-200 px-4 py-2 dark:border-zinc-800">
              <button type="button" className="btn" onClick={() => void q.fetchNextPage()} disabled={q.isFetchingNextPage}>
                {q.isFetchingNextPage ? "Loading…" : "Older entries"}
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
