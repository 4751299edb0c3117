import type pg from "pg";
import { composeNotice } from "@/lib/analysis/alerts/compose-notice";
import { accountRegionSubject, deadLetterArns, evaluateStale } from "@/lib/analysis/alerts/conditions";
import { addToTotals, CONDITIONS, evaluateCondition, isConditionKind, isRollupKind, type ConditionKind, type Evaluation, type WindowTotals } from "@/lib/analysis/alerts/evaluate";
import { step, type StoredIncident } from "@/lib/analysis/alerts/incident-state";
import type { AlertSeverity, NoticeEvent } from "@/lib/analysis/alerts/notice";
import { inScope, type PolicyScope, type ScopeKind } from "@/lib/analysis/alerts/scope";
import { composeSubjectNotice } from "@/lib/analysis/alerts/subject-notice";
import { inTransaction } from "@/lib/db/transaction";
import { enqueueNotices } from "@/lib/db/notifications/outbox";
import { evaluateWithInputs, readConditionInputs, type ConfigSubset } from "./condition-inputs";
import { readIngestFreshness } from "./event-inputs";
import { readTopErrors, topErrorKey } from "./top-errors";

/**
 * One evaluation of every enabled policy: three reads (policies, resources in scope with their
 * incidents, the minute rollups of the longest window for all of them in one query; never raw
 * invocations), the pure evaluator and state machine, then every incident change with its timeline
 * and its notices in ONE transaction, so a notice exists exactly when its change does.
 * Conditions beyond the rollup sums read their inputs once for all policies (./condition-inputs.ts:
 * CloudWatch points in one query, error groups, insights, last invocations; ./event-inputs.ts:
 * ingest freshness per account and region, whose incidents have a subject instead of a resource).
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
  /** The fields of resources.config conditions compare against (timeout, reserved concurrency, dead-letter targets). */
  config: ConfigSubset & Record<string, unknown>;
}

/** An account and region, for conditions without a resource (ingest_stale): incidents.subject names it. */
interface SubjectTarget {
  subject: string;
  accountId: number;
  accountName: string;
  region: string;
}

interface IncidentRow {
  id: string;
  policy_id: number;
  resource_id: number | null;
  subject: string | null;
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
 * The sums of each policy window per resource, from the minute rollups (the same sums as windowTotals
 * in lib/analysis/alerts/evaluate.ts, which states the window). Each minute row is summed once, into
 * the band of the shortest window holding it (one row per resource and band); a window is then the
 * sum of its bands and the shorter ones. Shipping every minute row to Node cost a second for 1,000
 * functions x 60 minutes, and joining each row to every window a few hundred ms more.
 *
 * Two queries, run side by side: the counters (a hash aggregate of small rows), and the histograms,
 * only over the bands a duration policy's window covers, as (resource, band, bucket, count) rows.
 * Together in one query the histograms' arrays made Postgres sort the minute rows through a temporary
 * file and read them twice (EXPLAIN ANALYZE: about half the evaluation of 1,000 x 20).
 */
export async function readWindowTotals(db: pg.Pool, policies: readonly PolicyRow[], ids: readonly number[], now: number): Promise<Map<number, Map<number, WindowTotals>>> {
  const windows = [...new Set(policies.map((p) => Math.trunc(p.window_minutes)))].sort((a, b) => a - b);
  const histUpTo = Math.max(0, ...policies.filter((p) => p.condition_kind.endsWith("_duration")).map((p) => p.window_minutes));
  const histWindows = windows.filter((w) => w <= histUpTo);
  const minute = Math.floor(now / 60_000) * 60_000;
  const start = (w: number) => new Date(minute - (w - 1) * 60_000);
  // The band of a row: the shortest window whose start it is at or after ($3, $4, ... the windows' starts).
  const band = (ws: readonly number[]) => `CASE ${ws.map((w, i) => `WHEN bucket_start >= $${i + 3}::timestamptz THEN ${w}`).join(" ")} END`;
  const params = (ws: readonly number[]) => [ids, new Date(now), ...ws.map(start)];
  const rowsIn = (ws: readonly number[]) => `FROM rollup_minute WHERE resource_id = ANY($1::int[]) AND bucket_start >= $${ws.length + 2}::timestamptz AND bucket_start <= $2`;

  const [{ rows: sums }, { rows: hist }] = await Promise.all([
    db.query<{ resource_id: number; band: number; invocations: number; errors: number; timeouts: number; out_of_memory: number; crashes: number; cold_starts: number; cost_usd: number; max_duration_ms: number | null }>(
      `SELECT resource_id, band, sum(invocations)::int AS invocations, sum(errors)::int AS errors, sum(timeouts)::int AS timeouts,
              sum(out_of_memory)::int AS out_of_memory, sum(crashes)::int AS crashes, sum(cold_starts)::int AS cold_starts,
              sum(cost_usd)::float8 AS cost_usd, max(max_duration_ms)::float8 AS max_duration_ms
         FROM (SELECT resource_id, invocations, errors, timeouts, out_of_memory, crashes, cold_starts, cost_usd, max_duration_ms, ${band(windows)} AS band ${rowsIn(windows)}) r
        GROUP BY 1, 2`,
      params(windows),
    ),
    histWindows.length
      ? db.query<{ resource_id: number; band: number; b: number; c: number }>(
          `SELECT resource_id, band, u.b::int AS b, sum(u.c)::int AS c
             FROM (SELECT resource_id, hist_buckets, hist_counts, ${band(histWindows)} AS band ${rowsIn(histWindows)}) r, unnest(r.hist_buckets, r.hist_counts) AS u(b, c)
            GROUP BY 1, 2, 3`,
          params(histWindows),
        )
      : Promise.resolve({ rows: [] }),
  ]);

  const histOf = new Map<string, { histBuckets: number[]; histCounts: number[] }>();
  for (const h of hist) {
    const key = `${h.resource_id}:${h.band}`;
    let e = histOf.get(key);
    if (!e) histOf.set(key, (e = { histBuckets: [], histCounts: [] }));
    e.histBuckets.push(h.b);
    e.histCounts.push(h.c);
  }
  const out = new Map<number, Map<number, WindowTotals>>(windows.map((w) => [w, new Map()]));
  for (const r of sums) {
    const h = histOf.get(`${r.resource_id}:${r.band}`);
    const part = {
      invocations: r.invocations, errors: r.errors, timeouts: r.timeouts, outOfMemory: r.out_of_memory, crashes: r.crashes, coldStarts: r.cold_starts,
      costUsd: r.cost_usd, maxDurationMs: r.max_duration_ms, histBuckets: h?.histBuckets ?? [], histCounts: h?.histCounts ?? [],
    };
    // A band counts in its own window and every longer one.
    for (const w of windows) if (w >= r.band) addToTotals(out.get(w)!, r.resource_id, part);
  }
  return out;
}

/** A change of one (policy, resource) incident, or of one (policy, subject) one when resource is null. */
type Change = { policy: PolicyRow; resource: ResourceRow | null; target?: SubjectTarget; row: IncidentRow | null; s: ReturnType<typeof step>; value: number | null; invocations: number };

const changeKey = (policyId: number, resourceId: number | null, subject: string | null) => `${policyId}:${resourceId ?? `s:${subject}`}`;

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
    const { rows } = await client.query<{ id: string; policy_id: number; resource_id: number | null; subject: string | null }>(
      `INSERT INTO incidents (policy_id, resource_id, account_id, state, severity, value, threshold, opened_at, last_evaluated_at, last_notice, subject)
       SELECT p, r, a, s, sev, v, th, $9, $9, ln, sub FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::text[], $6::float8[], $7::float8[], $8::text[], $10::text[]) AS t(p, r, a, s, sev, v, th, ln, sub)
       RETURNING id, policy_id, resource_id, subject`,
      [creates.map((c) => c.policy.id), creates.map((c) => c.resource?.id ?? null), creates.map((c) => c.resource?.account_id ?? c.target!.accountId), creates.map((c) => c.s.next!.state),
        creates.map((c) => c.s.next!.severity), creates.map((c) => c.value), creates.map((c) => c.policy.threshold), creates.map((c) => c.s.next!.lastNotice), at,
        creates.map((c) => (c.resource ? null : c.target!.subject))],
    );
    const byKey = new Map(rows.map((r) => [changeKey(r.policy_id, r.resource_id, r.subject), r.id]));
    for (const c of creates) ids.set(c, byKey.get(changeKey(c.policy.id, c.resource?.id ?? null, c.target?.subject ?? null))!);
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
  // The top error group of each notice's resource and window, for all the notices in one query.
  const noticeWindow = (c: Change & { resource: ResourceRow }) => ({ resourceId: c.resource.id, from: now - c.policy.window_minutes * 60_000, to: now });
  const topErrors = await readTopErrors(client, changes.filter((c): c is Change & { resource: ResourceRow } => !!c.s.notify && !!c.policy.channel_ids.length && c.resource !== null).map(noticeWindow));
  for (const c of changes) {
    if (!c.s.notify || !c.policy.channel_ids.length) continue;
    const id = ids.get(c)!;
    if (!c.resource) {
      const t = c.target!;
      const notice = composeSubjectNotice({
        event: c.s.notify, incidentId: Number(id), policy: { id: c.policy.id, name: c.policy.name }, severity: c.s.next!.severity, kind: c.policy.condition_kind as ConditionKind,
        value: c.value, threshold: c.policy.threshold, windowMinutes: c.policy.window_minutes, subject: t, at: now, baseUrl,
      });
      summary.notices += await enqueueNotices(client, notice, c.policy.channel_ids, sequence.get(id)!);
      continue;
    }
    const notice = composeNotice({
      event: c.s.notify, incidentId: Number(id), policy: { id: c.policy.id, name: c.policy.name }, severity: c.s.next!.severity, kind: c.policy.condition_kind as ConditionKind,
      value: c.value, threshold: c.policy.threshold, windowMinutes: c.policy.window_minutes, invocations: c.invocations,
      resource: { id: c.resource.id, name: c.resource.name, kind: c.resource.kind, arn: c.resource.arn, region: c.resource.region, accountName: c.resource.account_name },
      at: now, baseUrl, topError: topErrors.get(topErrorKey(noticeWindow({ ...c, resource: c.resource }))) ?? null,
    });
    // The id of the change's timeline event names the notice: one key per change, never shared by two.
    summary.notices += await enqueueNotices(client, notice, c.policy.channel_ids, sequence.get(id)!);
  }
}

const scopeOf = (p: PolicyRow): PolicyScope => ({ scopeKind: p.scope_kind, accountId: p.account_id, region: p.region, tagKey: p.tag_key, tagValue: p.tag_value, resourceIds: p.resource_ids });

/** Whether a condition applies to a resource: its kind (CONDITIONS[kind].appliesTo), and for dlq_messages a queue some queue or function dead-letters into. */
function appliesTo(kind: ConditionKind, r: ResourceRow, dlqs: ReadonlySet<string>): boolean {
  const target = CONDITIONS[kind].appliesTo;
  if (target === "account_region") return false;
  if (target !== "any" && target !== r.kind) return false;
  return kind !== "dlq_messages" || dlqs.has(r.arn);
}

/**
 * The rollup sums p95_timeout_pct needs are those of p95_duration: readWindowTotals sums histograms
 * for the duration kinds, so such a policy is handed to it as one.
 */
const asRollupRead = (p: PolicyRow): PolicyRow => (p.condition_kind === "p95_timeout_pct" ? { ...p, condition_kind: "p95_duration" } : p);

export async function evaluateAlerts(db: pg.Pool, opts: { now?: number; baseUrl: string }): Promise<EvaluationSummary> {
  const now = opts.now ?? Date.now();
  const summary: EvaluationSummary = { policies: 0, resources: 0, opened: 0, resolved: 0, escalated: 0, notices: 0, ms: { read: 0, evaluate: 0, write: 0 } };
  const t0 = performance.now();
  const { rows: policies } = await db.query<PolicyRow>("SELECT * FROM alert_policies WHERE enabled ORDER BY id");
  const known = policies.filter((p) => isConditionKind(p.condition_kind));
  summary.policies = known.length;
  if (!known.length) return summary;
  const kindOf = (p: PolicyRow) => p.condition_kind as ConditionKind;
  const resourcePolicies = known.filter((p) => CONDITIONS[kindOf(p)].appliesTo !== "account_region");
  const subjectPolicies = known.filter((p) => CONDITIONS[kindOf(p)].appliesTo === "account_region");

  // Every kind of resource; of its config only what conditions compare against.
  const { rows: resources } = resourcePolicies.length
    ? await db.query<ResourceRow>(
        `SELECT r.id, r.account_id, r.region, r.kind::text AS kind, r.arn, r.name, r.tags, a.name AS account_name,
                jsonb_build_object('timeoutS', r.config->'timeoutS', 'reservedConcurrency', r.config->'reservedConcurrency',
                  'deadLetterTargetArn', r.config->'deadLetterTargetArn', 'onFailureDestination', r.config->'onFailureDestination',
                  'redrivePolicy', r.config->'redrivePolicy') AS config
           FROM resources r JOIN accounts a ON a.id = r.account_id
          WHERE r.deleted_at IS NULL`,
      )
    : { rows: [] as ResourceRow[] };
  const dlqs = resourcePolicies.some((p) => p.condition_kind === "dlq_messages") ? deadLetterArns(resources.map((r) => r.config)) : new Set<string>();
  const scoped = resourcePolicies.map((p) => ({
    policy: p,
    resources: resources.filter((r) => appliesTo(kindOf(p), r, dlqs) && inScope(scopeOf(p), { id: r.id, accountId: r.account_id, region: r.region, tags: r.tags ?? {} })),
  }));
  const ids = [...new Set(scoped.flatMap((s) => s.resources.map((r) => r.id)))];
  summary.resources = ids.length;

  // ingest_stale: every account and region in the policy's scope (a tag or resource list scope names none).
  const freshness = subjectPolicies.length ? await readIngestFreshness(db, now) : [];
  const subjects = subjectPolicies.map((p) => ({
    policy: p,
    targets: freshness.filter((f) => inScope(scopeOf(p), { id: -1, accountId: f.accountId, region: f.region, tags: {} })),
  }));
  if (!ids.length && !subjects.some((s) => s.targets.length)) return summary;

  const rollupScoped = scoped.filter((s) => isRollupKind(kindOf(s.policy)) || s.policy.condition_kind === "p95_timeout_pct");
  const rollupIds = [...new Set(rollupScoped.flatMap((s) => s.resources.map((r) => r.id)))];
  const otherScoped = scoped.filter((s) => !isRollupKind(kindOf(s.policy)));
  const [windowTotalsByWindow, inputs] = await Promise.all([
    rollupIds.length ? readWindowTotals(db, rollupScoped.map((s) => asRollupRead(s.policy)), rollupIds, now) : new Map<number, Map<number, WindowTotals>>(),
    readConditionInputs(db, otherScoped, now),
  ]);
  // The unresolved incident of each (policy, resource or subject), else its latest resolved one still inside the flap window.
  const longestFlap = Math.max(...known.map((p) => p.flap_minutes));
  const { rows: incidentRows } = await db.query<IncidentRow>(
    `SELECT DISTINCT ON (policy_id, resource_id, subject) id, policy_id, resource_id, subject, state, severity, opened_at, resolved_at, clear_since, snoozed_until, flaps, last_notice
       FROM incidents WHERE (resource_id IS NOT NULL OR subject IS NOT NULL) AND (state <> 'resolved' OR resolved_at > $1)
      ORDER BY policy_id, resource_id, subject, (state <> 'resolved') DESC, id DESC`,
    [new Date(now - longestFlap * 60_000)],
  );
  const incidents = new Map(incidentRows.map((r) => [changeKey(r.policy_id, r.resource_id, r.subject), r]));

  const t1 = performance.now();
  summary.ms.read = t1 - t0;
  const totalsFor = (w: number) => windowTotalsByWindow.get(w) ?? new Map<number, WindowTotals>();

  const changes: Change[] = [];
  const touched: { id: string; value: number | null }[] = [];
  const advance = (policy: PolicyRow, key: string, ev: Evaluation, target: { resource: ResourceRow } | { target: SubjectTarget }) => {
    const row = incidents.get(key) ?? null;
    const s = step({ resolveAfterMinutes: policy.resolve_after_minutes, flapMinutes: policy.flap_minutes }, row ? stored(row) : null, ev, now);
    if (s.write !== "none") changes.push({ policy, resource: "resource" in target ? target.resource : null, target: "target" in target ? target.target : undefined, row, s, value: ev.value, invocations: ev.invocations });
    else if (row && row.state !== "resolved") touched.push({ id: row.id, value: ev.value });
  };
  for (const { policy, resources: rs } of scoped) {
    const kind = kindOf(policy);
    const totals = totalsFor(policy.window_minutes);
    for (const resource of rs) {
      const ev = isRollupKind(kind)
        ? evaluateCondition({ kind, threshold: policy.threshold, criticalThreshold: policy.critical_threshold, windowMinutes: policy.window_minutes, minInvocations: policy.min_invocations, severity: policy.severity }, totals.get(resource.id))
        : evaluateWithInputs(policy, resource, inputs, totals.get(resource.id), now);
      advance(policy, changeKey(policy.id, resource.id, null), ev, { resource });
    }
  }
  for (const { policy, targets } of subjects) {
    for (const f of targets) {
      const subject = accountRegionSubject(f.accountId, f.region);
      const ev = evaluateStale({ windowMinutes: policy.window_minutes, severity: policy.severity }, f.lastSuccessAt, f.accountCreatedAt, now);
      advance(policy, changeKey(policy.id, null, subject), ev, { target: { subject, accountId: f.accountId, accountName: f.accountName, region: f.region } });
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
