import type pg from "pg";
import { composeNotice } from "@/lib/analysis/alerts/compose-notice";
import { addToTotals, CONDITION_KINDS, evaluateCondition, type ConditionKind, type WindowTotals } from "@/lib/analysis/alerts/evaluate";
import { step, type StoredIncident } from "@/lib/analysis/alerts/incident-state";
import type { AlertSeverity, NoticeEvent } from "@/lib/analysis/alerts/notice";
import { inScope, type ScopeKind } from "@/lib/analysis/alerts/scope";
import { inTransaction } from "@/lib/db/transaction";
import { enqueueNotices } from "@/lib/db/notifications/outbox";

/**
 * One evaluation of every enabled policy: three reads (policies, resources in scope with their
 * incidents, the minute rollups of the longest window for all of them in one query; never raw
 * invocations), the pure evaluator and state machine, then every incident change with its timeline
 * and its notices in ONE transaction, so a notice exists exactly when its change does.
 */

export interface PolicyRow {
  id: number;
  name: string;
  condition_kind: string;
  threshold: number;
  critical_threshold: number | null;
  window_minutes: number;
  min_invocations: number;
  severity: AlertSeverity;
  scope_kind: ScopeKind;
  account_id: number | null;
  region: string | null;
  tag_key: string | null;
  tag_value: string | null;
  resource_ids: number[];
  channel_ids: number[];
  resolve_after_minutes: number;
  flap_minutes: number;
}

interface ResourceRow {
  id: number;
  account_id: number;
  region: string;
  kind: string;
  arn: string;
  name: string;
  tags: Record<string, unknown>;
  account_name: string;
}

interface IncidentRow {
  id: string;
  policy_id: number;
  resource_id: number;
  state: StoredIncident["state"];
  severity: AlertSeverity;
  opened_at: Date;
  resolved_at: Date | null;
  clear_since: Date | null;
  snoozed_until: Date | null;
  flaps: number;
  last_notice: NoticeEvent | null;
}

export interface EvaluationSummary {
  policies: number;
  resources: number;
  opened: number;
  resolved: number;
  escalated: number;
  notices: number;
  /** ms spent reading (policies, resources, rollup sums, incidents), evaluating, writing */
  ms: { read: number; evaluate: number; write: number };
}

const ms = (d: Date | null) => (d === null ? null : d.getTime());

function stored(r: IncidentRow): StoredIncident {
  return { state: r.state, severity: r.severity, openedAt: r.opened_at.getTime(), resolvedAt: ms(r.resolved_at), clearSince: ms(r.clear_since), snoozedUntil: ms(r.snoozed_until), flaps: r.flaps, lastNotice: r.last_notice };
}

/**
 * The sums of each policy window per resource, from the minute rollups in one query (the same sums as
 * windowTotals in lib/analysis/alerts/evaluate.ts, which states the window). Each minute row is summed
 * once, into the band of the shortest window holding it (one row per resource and band); a window is
 * then the sum of its bands and the shorter ones. Shipping every minute row to Node cost a second for
 * 1,000 functions x 60 minutes, and joining each row to every window a few hundred ms more. Histograms
 * are summed only in bands a duration policy's window covers.
 */
export async function readWindowTotals(db: pg.Pool, policies: readonly PolicyRow[], ids: readonly number[], now: number): Promise<Map<number, Map<number, WindowTotals>>> {
  const windows = [...new Set(policies.map((p) => Math.trunc(p.window_minutes)))].sort((a, b) => a - b);
  const histUpTo = Math.max(0, ...policies.filter((p) => p.condition_kind.endsWith("_duration")).map((p) => p.window_minutes));
  const minute = Math.floor(now / 60_000) * 60_000;
  const from = new Date(minute - (windows[windows.length - 1] - 1) * 60_000);
  // Integers from an int column, inlined: the CASE is the band of each row.
  const band = `CASE ${windows.map((w) => `WHEN bucket_start >= $3::timestamptz - interval '${w - 1} minutes' THEN ${w}`).join(" ")} END`;
  const { rows } = await db.query<{
    resource_id: number; band: number; invocations: number; errors: number; timeouts: number; out_of_memory: number; crashes: number; cold_starts: number;
    cost_usd: number; max_duration_ms: number | null; hb: number[] | null; hc: number[] | null;
  }>(
    `WITH r AS (SELECT *, ${band} AS band FROM rollup_minute WHERE bucket_start >= $1 AND bucket_start <= $2 AND resource_id = ANY($4::int[])),
     sums AS (
       SELECT resource_id, band, sum(invocations)::int AS invocations, sum(errors)::int AS errors, sum(timeouts)::int AS timeouts,
              sum(out_of_memory)::int AS out_of_memory, sum(crashes)::int AS crashes, sum(cold_starts)::int AS cold_starts,
              sum(cost_usd)::float8 AS cost_usd, max(max_duration_ms)::float8 AS max_duration_ms
         FROM r GROUP BY 1, 2),
     hist AS (
       SELECT resource_id, band, array_agg(b ORDER BY b) AS hb, array_agg(c ORDER BY b) AS hc FROM (
         SELECT resource_id, band, u.b::int AS b, sum(u.c)::int AS c FROM r, unnest(r.hist_buckets, r.hist_counts) AS u(b, c)
          WHERE r.band <= $5 GROUP BY 1, 2, 3) x
        GROUP BY 1, 2)
     SELECT s.*, h.hb, h.hc FROM sums s LEFT JOIN hist h USING (resource_id, band)`,
    [from, new Date(now), new Date(minute), ids, histUpTo],
  );
  const out = new Map<number, Map<number, WindowTotals>>(windows.map((w) => [w, new Map()]));
  for (const r of rows) {
    const part = {
      invocations: r.invocations, errors: r.errors, timeouts: r.timeouts, outOfMemory: r.out_of_memory, crashes: r.crashes, coldStarts: r.cold_starts,
      costUsd: r.cost_usd, maxDurationMs: r.max_duration_ms, histBuckets: r.hb ?? [], histCounts: r.hc ?? [],
    };
    // A band counts in its own window and every longer one.
    for (const w of windows) if (w >= r.band) addToTotals(out.get(w)!, r.resource_id, part);
  }
  return out;
}

type Change = { policy: PolicyRow; resource: ResourceRow; row: IncidentRow | null; s: ReturnType<typeof step>; value: number | null; invocations: number };

const when = (t: number | null) => (t === null ? null : new Date(t));

/**
 * Writes the incident changes of one evaluation: new incidents, changed ones and their timeline
 * events in one statement each (a mass opening is hundreds of rows), then the notices.
 */
async function writeChanges(client: pg.PoolClient, changes: readonly Change[], now: number, baseUrl: string, summary: EvaluationSummary): Promise<void> {
  const at = new Date(now);
  const ids = new Map<Change, string>();
  const creates = changes.filter((c) => c.s.write === "create");
  if (creates.length) {
    const { rows } = await client.query<{ id: string; policy_id: number; resource_id: number }>(
      `INSERT INTO incidents (policy_id, resource_id, account_id, state, severity, value, threshold, opened_at, last_evaluated_at, last_notice)
       SELECT p, r, a, s, sev, v, th, $9, $9, ln FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::text[], $6::float8[], $7::float8[], $8::text[]) AS t(p, r, a, s, sev, v, th, ln)
       RETURNING id, policy_id, resource_id`,
      [creates.map((c) => c.policy.id), creates.map((c) => c.resource.id), creates.map((c) => c.resource.account_id), creates.map((c) => c.s.next!.state),
        creates.map((c) => c.s.next!.severity), creates.map((c) => c.value), creates.map((c) => c.policy.threshold), creates.map((c) => c.s.next!.lastNotice), at],
    );
    const byKey = new Map(rows.map((r) => [`${r.policy_id}:${r.resource_id}`, r.id]));
    for (const c of creates) ids.set(c, byKey.get(`${c.policy.id}:${c.resource.id}`)!);
  }
  const updates = changes.filter((c) => c.s.write === "update");
  for (const c of updates) ids.set(c, c.row!.id);
  if (updates.length) {
    await client.query(
      `UPDATE incidents i SET state = t.s, severity = t.sev, value = COALESCE(t.v, i.value), resolved_at = t.ra, clear_since = t.cs, flaps = t.f, last_notice = t.ln, last_evaluated_at = $9
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::float8[], $5::timestamptz[], $6::timestamptz[], $7::int[], $8::text[]) AS t(id, s, sev, v, ra, cs, f, ln)
        WHERE i.id = t.id`,
      [updates.map((c) => c.row!.id), updates.map((c) => c.s.next!.state), updates.map((c) => c.s.next!.severity), updates.map((c) => c.value),
        updates.map((c) => when(c.s.next!.resolvedAt)), updates.map((c) => when(c.s.next!.clearSince)), updates.map((c) => c.s.next!.flaps), updates.map((c) => c.s.next!.lastNotice), at],
    );
  }
  const events = changes.flatMap((c) => c.s.events.map((kind) => ({ c, kind })));
  const sequence = new Map<string, string>();
  if (events.length) {
    const { rows } = await client.query<{ id: string; incident_id: string }>(
      `INSERT INTO incident_events (incident_id, at, kind, actor, detail)
       SELECT i, $4, k, 'osprey', d FROM unnest($1::bigint[], $2::text[], $3::jsonb[]) AS t(i, k, d) RETURNING id, incident_id`,
      [events.map((e) => ids.get(e.c)!), events.map((e) => e.kind), events.map((e) => JSON.stringify({ value: e.c.value, threshold: e.c.policy.threshold, severity: e.c.s.next!.severity, invocations: e.c.invocations })), at],
    );
    for (const r of rows) if (!sequence.has(r.incident_id) || BigInt(r.id) > BigInt(sequence.get(r.incident_id)!)) sequence.set(r.incident_id, r.id);
    for (const e of events) {
      if (e.kind === "opened") summary.opened++;
      if (e.kind === "resolved") summary.resolved++;
      if (e.kind === "escalated") summary.escalated++;
    }
  }
  for (const c of changes) {
    if (!c.s.notify || !c.policy.channel_ids.length) continue;
    const id = ids.get(c)!;
    const notice = composeNotice({
      event: c.s.notify, incidentId: Number(id), policy: { id: c.policy.id, name: c.policy.name }, severity: c.s.next!.severity, kind: c.policy.condition_kind as ConditionKind,
      value: c.value, threshold: c.policy.threshold, windowMinutes: c.policy.window_minutes, invocations: c.invocations,
      resource: { id: c.resource.id, name: c.resource.name, kind: c.resource.kind, arn: c.resource.arn, region: c.resource.region, accountName: c.resource.account_name },
      at: now, baseUrl,
    });
    // The id of the change's timeline event names the notice: one key per change, never shared by two.
    summary.notices += await enqueueNotices(client, notice, c.policy.channel_ids, sequence.get(id)!);
  }
}

const isKind = (k: string): k is ConditionKind => (CONDITION_KINDS as readonly string[]).includes(k);

export async function evaluateAlerts(db: pg.Pool, opts: { now?: number; baseUrl: string }): Promise<EvaluationSummary> {
  const now = opts.now ?? Date.now();
  const summary: EvaluationSummary = { policies: 0, resources: 0, opened: 0, resolved: 0, escalated: 0, notices: 0, ms: { read: 0, evaluate: 0, write: 0 } };
  const t0 = performance.now();
  const { rows: policies } = await db.query<PolicyRow>("SELECT * FROM alert_policies WHERE enabled ORDER BY id");
  const metricPolicies = policies.filter((p) => isKind(p.condition_kind));
  summary.policies = metricPolicies.length;
  if (!metricPolicies.length) return summary;

  const { rows: resources } = await db.query<ResourceRow>(
    `SELECT r.id, r.account_id, r.region, r.kind::text AS kind, r.arn, r.name, r.tags, a.name AS account_name
       FROM resources r JOIN accounts a ON a.id = r.account_id
      WHERE r.kind = 'lambda' AND r.deleted_at IS NULL`,
  );
  const scoped = metricPolicies.map((p) => ({
    policy: p,
    resources: resources.filter((r) => inScope({ scopeKind: p.scope_kind, accountId: p.account_id, region: p.region, tagKey: p.tag_key, tagValue: p.tag_value, resourceIds: p.resource_ids }, { id: r.id, accountId: r.account_id, region: r.region, tags: r.tags ?? {} })),
  }));
  const ids = [...new Set(scoped.flatMap((s) => s.resources.map((r) => r.id)))];
  summary.resources = ids.length;
  if (!ids.length) return summary;

  const windowTotalsByWindow = await readWindowTotals(db, metricPolicies, ids, now);
  // The unresolved incident of each (policy, resource), else its latest resolved one still inside the flap window.
  const longestFlap = Math.max(...metricPolicies.map((p) => p.flap_minutes));
  const { rows: incidentRows } = await db.query<IncidentRow>(
    `SELECT DISTINCT ON (policy_id, resource_id) id, policy_id, resource_id, state, severity, opened_at, resolved_at, clear_since, snoozed_until, flaps, last_notice
       FROM incidents WHERE resource_id IS NOT NULL AND (state <> 'resolved' OR resolved_at > $1)
      ORDER BY policy_id, resource_id, (state <> 'resolved') DESC, id DESC`,
    [new Date(now - longestFlap * 60_000)],
  );
  const incidents = new Map(incidentRows.map((r) => [`${r.policy_id}:${r.resource_id}`, r]));

  const t1 = performance.now();
  summary.ms.read = t1 - t0;
  const totalsFor = (w: number) => windowTotalsByWindow.get(w) ?? new Map<number, WindowTotals>();

  const changes: Change[] = [];
  const touched: { id: string; value: number | null }[] = [];
  for (const { policy, resources: rs } of scoped) {
    const kind = policy.condition_kind as ConditionKind;
    const totals = totalsFor(policy.window_minutes);
    for (const resource of rs) {
      const ev = evaluateCondition({ kind, threshold: policy.threshold, criticalThreshold: policy.critical_threshold, windowMinutes: policy.window_minutes, minInvocations: policy.min_invocations, severity: policy.severity }, totals.get(resource.id));
      const row = incidents.get(`${policy.id}:${resource.id}`) ?? null;
      const s = step({ resolveAfterMinutes: policy.resolve_after_minutes, flapMinutes: policy.flap_minutes }, row ? stored(row) : null, ev, now);
      if (s.write !== "none") changes.push({ policy, resource, row, s, value: ev.value, invocations: ev.invocations });
      else if (row && row.state !== "resolved") touched.push({ id: row.id, value: ev.value });
    }
  }

  const t2 = performance.now();
  summary.ms.evaluate = t2 - t1;
  await inTransaction(db, async (client) => {
    if (touched.length) {
      await client.query(
        `UPDATE incidents i SET value = COALESCE(t.value, i.value), last_evaluated_at = $3 FROM unnest($1::bigint[], $2::float8[]) AS t(id, value) WHERE i.id = t.id`,
        [touched.map((t) => t.id), touched.map((t) => t.value), new Date(now)],
      );
    }
    await writeChanges(client, changes, now, opts.baseUrl, summary);
  });
  summary.ms.write = performance.now() - t2;
  return summary;
}
