import { Fragment } from "react";
import type { IngestHealth } from "@/lib/api/schemas/overview";
import { API_PRICES_USD, BILLED_UNIT_LABELS } from "@/lib/analysis/api-prices";
import { formatAgo, formatCount, formatDuration, formatUsd } from "../format";

// Logs are polled every minute with a re-read window: a few minutes of lag is normal.
const LAG_WARN_MS = 10 * 60_000;

function status(h: IngestHealth): { label: string; tone: string } {
  if (!h.lastSuccessAt) return { label: "No successful run", tone: "bg-red-100 text-red-800 dark:bg-red-500/15 dark:text-red-300" };
  if (h.lagMs !== null && h.lagMs > LAG_WARN_MS) return { label: "Lagging", tone: "bg-amber-100 text-amber-900 dark:bg-amber-500/15 dark:text-amber-300" };
  if (h.failures24h > 0) return { label: "Failures", tone: "bg-amber-100 text-amber-900 dark:bg-amber-500/15 dark:text-amber-300" };
  if (h.warnings.length > 0 || h.quarantinedCount > 0) return { label: "Degraded", tone: "bg-amber-100 text-amber-900 dark:bg-amber-500/15 dark:text-amber-300" };
  return { label: "Fresh", tone: "bg-emerald-100 text-emerald-800 dark:bg-emerald-500/15 dark:text-emerald-300" };
}

export function IngestHealthTable({ rows }: { rows: IngestHealth[] }) {
  if (rows.length === 0)
    return <p className="card p-4 text-sm text-zinc-600 dark:text-zinc-400">No ingest runs yet: the workers start reading a new account within a minute.</p>;
  return (
    <div className="card overflow-x-auto" tabIndex={0} role="region" aria-label="Ingest health, scrolls sideways">
      <table className="w-full text-sm" data-testid="ingest-health">
        <thead className="text-left text-xs uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
          <tr className="border-b border-zinc-200 dark:border-zinc-800">
            <th scope="col" className="px-4 py-2 font-medium">Account</th>
            <th scope="col" className="px-4 py-2 font-medium">Region</th>
            <th scope="col" className="px-4 py-2 font-medium">Status</th>
            <th scope="col" className="px-4 py-2 font-medium">Last successful run</th>
            <th scope="col" className="px-4 py-2 text-right font-medium">Data lag</th>
            <th scope="col" className="px-4 py-2 text-right font-medium">Failures 24h</th>
            <th scope="col" className="px-4 py-2 font-medium">Last error</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {rows.map((h) => {
            const s = status(h);
            return (
              <Fragment key={`${h.accountId}-${h.region}`}>
                <tr>
                  <td className="px-4 py-2 font-medium">{h.account}</td>
                  <td className="px-4 py-2">{h.region}</td>
                  <td className="px-4 py-2">
                    <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${s.tone}`}>{s.label}</span>
                  </td>
                  <td className="px-4 py-2" title={h.lastSuccessAt ?? undefined}>
                    {formatAgo(h.lastSuccessAt)}
                  </td>
                  <td className="num px-4 py-2 text-right">{h.lagMs === null ? "–" : formatDuration(h.lagMs)}</td>
                  <td className={`num px-4 py-2 text-right ${h.failures24h ? "font-medium text-red-700 dark:text-red-400" : ""}`}>{h.failures24h}</td>
                  <td className="max-w-xs truncate px-4 py-2 text-xs text-zinc-600 dark:text-zinc-400" title={h.lastError ?? undefined}>
                    {h.lastError ?? "–"}
                  </td>
                </tr>
                {h.apiCalls.length > 0 || h.freshness.functions > 0 ? (
                  <tr>
                    <td colSpan={7} className="px-4 pb-3 pt-0">
                      <IngestUsage health={h} />
                    </td>
                  </tr>
                ) : null}
                {h.warnings.length > 0 || h.quarantinedCount > 0 ? (
                  <tr>
                    <td colSpan={7} className="px-4 pb-3 pt-0">
                      <IngestProblems health={h} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** What monitoring costs in AWS calls and dollars, and how old each function's newest data is. */
function IngestUsage({ health: h }: { health: IngestHealth }) {
  const f = h.freshness;
  const cost = h.apiCalls.reduce((n, u) => n + u.costUsd24h, 0);
  return (
    <div className="space-y-1 text-xs text-zinc-700 dark:text-zinc-300" data-testid="ingest-usage">
      {f.functions > 0 ? (
        <p data-testid="ingest-freshness">
          <span className="font-medium">Function data age</span> ({formatCount(f.functions)} functions): median {f.p50AgeMs === null ? "–" : formatDuration(f.p50AgeMs)}, oldest{" "}
          {f.maxAgeMs === null ? "–" : formatDuration(f.maxAgeMs)}
          {f.stalest.length ? (
            <span className="text-zinc-600 dark:text-zinc-400">
              {" "}· stalest: {f.stalest.map((s) => `${s.name} ${s.ageMs === null ? "never read" : `${formatDuration(s.ageMs)} old`}`).join(", ")}
            </span>
          ) : null}
        </p>
      ) : null}
      {h.apiCalls.length > 0 ? (
        <p data-testid="ingest-api-calls">
          <span className="font-medium">AWS API calls</span> (this hour and the last, 24 h):{" "}
          {h.apiCalls.map((u) => `${u.api} ${formatCount(u.callsLastHour)}/${formatCount(u.calls24h)}${u.units24h !== u.calls24h ? ` (${formatCount(u.units24h)} ${BILLED_UNIT_LABELS[API_PRICES_USD[u.api]?.unit ?? "request"]})` : ""}`).join(", ")}
          {" "}· AWS API cost 24 h <span className="font-medium">{formatUsd(cost)}</span>
        </p>
      ) : null}
    </div>
  );
}

/** What is degraded without failing the region: calls that failed (with their IAM action) and events kept aside. */
function IngestProblems({ health: h }: { health: IngestHealth }) {
  return (
    <div className="space-y-2 text-xs" data-testid="ingest-problems">
      {h.warnings.length > 0 ? (
        <div>
          <p className="font-medium text-amber-900 dark:text-amber-300">
            {h.warnings.length === 1 ? "1 warning" : `${h.warnings.length} warnings`}: these features are degraded, everything else is ingested
          </p>
          <ul className="mt-1 space-y-0.5 text-zinc-700 dark:text-zinc-300" data-testid="ingest-warnings">
            {groupWarnings(h.warnings).map((g) => (
              <li key={g.key} title={g.message}>
                <span className="font-medium">{g.feature}</span>
                {g.resources.length ? <> of {listNames(g.resources)}</> : <> (whole region)</>}: {g.denied ? "denied" : "failed"}
                {g.action ? <> <code className="rounded bg-zinc-100 px-1 dark:bg-zinc-800">{g.action}</code></> : null}
                {g.denied ? null : <> ({g.message})</>}
                <span className="text-zinc-600 dark:text-zinc-400"> · {g.count === 1 ? "once" : `${g.count} passes`}, since {formatAgo(g.firstSeenAt)}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {h.quarantinedCount > 0 ? (
        <div>
          <p className="font-medium text-amber-900 dark:text-amber-300">
            {h.quarantinedCount === 1 ? "1 log event" : `${h.quarantinedCount} log events`} quarantined: Postgres refused them, the rest of their log group was ingested
          </p>
          <ul className="mt-1 space-y-0.5 text-zinc-700 dark:text-zinc-300" data-testid="quarantined-events">
            {h.quarantined.map((q) => (
              <li key={`${q.logGroup}|${q.eventId}`} title={q.message}>
                <span className="font-medium">{q.logGroup}</span> event {q.eventId}
                {q.eventTime ? <> at {q.eventTime}</> : null}: {q.reason}
                {q.sqlstate ? <> (SQLSTATE {q.sqlstate})</> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

// One line per failed call, not per function: a denied action usually fails for every function alike.
function groupWarnings(ws: IngestHealth["warnings"]) {
  const groups = new Map<string, { key: string; feature: string; action: string | null; denied: boolean; message: string; resources: string[]; count: number; firstSeenAt: string }>();
  for (const w of ws) {
    const key = `${w.feature}|${w.action ?? ""}|${w.denied}`;
    const g = groups.get(key) ?? { key, feature: w.feature, action: w.action, denied: w.denied, message: w.message, resources: [], count: 0, firstSeenAt: w.firstSeenAt };
    if (w.resource) g.resources.push(w.resource);
    g.count = Math.max(g.count, w.count);
    if (w.firstSeenAt < g.firstSeenAt) g.firstSeenAt = w.firstSeenAt;
    groups.set(key, g);
  }
  return [...groups.values()];
}

function listNames(names: string[]): string {
  const sorted = [...names].sort();
  return sorted.length <= 3 ? sorted.join(", ") : `${sorted.slice(0, 3).join(", ")} and ${sorted.length - 3} more`;
}
