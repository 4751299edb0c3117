import type pg from "pg";
import { composeNotice } from "@/lib/analysis/alerts/compose-notice";
import { composeSubjectNotice } from "@/lib/analysis/alerts/subject-notice";
import { addToTotals, conditionValue, isRollupKind, type ConditionKind, type WindowTotals } from "@/lib/analysis/alerts/evaluate";
import { failedInvocations } from "@/lib/analysis/metrics";
import type { NoticeEvent } from "@/lib/analysis/alerts/notice";
import { ConflictError, NotFoundError } from "@/lib/api/errors";
import type { IncidentsQuery, IncidentView } from "@/lib/api/schemas/alerts";
import type { IncidentEvidence } from "@/lib/api/schemas/incident-evidence";
import { enqueueNotices } from "../notifications/outbox";
import { pool } from "../prisma";
import { inTransaction } from "../transaction";
import { readTopErrors, topErrorKey } from "./top-errors";

type Db = Pick<pg.Pool, "query">;

const SELECT = `SELECT i.*, p.name AS policy_name, p.condition_kind, p.window_minutes, p.channel_ids,
       r.name AS resource_name, r.kind::text AS resource_kind, r.arn, r.region, a.id AS account_ref, a.name AS account_name
  FROM incidents i JOIN alert_policies p ON p.id = i.policy_id
  LEFT JOIN resources r ON r.id = i.resource_id LEFT JOIN accounts a ON a.id = COALESCE(r.account_id, i.account_id)`;

interface Row {
  id: string; policy_id: number; resource_id: number | null; subject: string | null; account_id: number | null; state: IncidentView["state"]; severity: IncidentView["severity"]; value: number | null; threshold: number; flaps: number;
  opened_at: Date; acknowledged_at: Date | null; acknowledged_by: string | null; resolved_at: Date | null; snoozed_until: Date | null; last_evaluated_at: Date;
  policy_name: string; condition_kind: string; window_minutes: number; channel_ids: number[];
  resource_name: string | null; resource_kind: string | null; arn: string | null; region: string | null; account_ref: number | null; account_name: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
/** The region of an incident with no resource, from its subject `account:<id>/<region>`. */
const subjectRegion = (subject: string | null) => subject?.match(/^account:\d+\/(.+)$/)?.[1] ?? null;

function toView(r: Row): IncidentView {
  return {
    id: Number(r.id), policy: { id: r.policy_id, name: r.policy_name, conditionKind: r.condition_kind },
    resource: r.resource_id === null ? null : { id: r.resource_id, name: r.resource_name ?? "" },
    subject: r.subject,
    account: r.account_ref === null ? null : { id: r.account_ref, name: r.account_name ?? "" }, region: r.region ?? subjectRegion(r.subject), windowMinutes: r.window_minutes,
    state: r.state, severity: r.severity, value: r.value, threshold: r.threshold, flaps: r.flaps,
    openedAt: r.opened_at.toISOString(), acknowledgedAt: iso(r.acknowledged_at), acknowledgedBy: r.acknowledged_by, resolvedAt: iso(r.resolved_at),
    snoozedUntil: iso(r.snoozed_until), lastEvaluatedAt: r.last_evaluated_at.toISOString(),
  };
}

export async function listIncidents(q: IncidentsQuery, db: Db = pool()): Promise<IncidentView[]> {
  const { rows } = await db.query<Row>(
    `${SELECT} WHERE ($1::text IS NULL OR i.state = $1 OR ($1 = 'active' AND i.state <> 'resolved')) AND ($2::text IS NULL OR i.severity = $2)
        AND ($3::int IS NULL OR i.resource_id = $3) AND ($4::int IS NULL OR i.policy_id = $4)
      ORDER BY i.opened_at DESC, i.id DESC LIMIT 500`,
    [q.state ?? null, q.severity ?? null, q.resourceId ?? null, q.policy ?? null],
  );
  return rows.map(toView);
}

export async function getIncident(id: number, db: Db = pool()) {
  const { rows } = await db.query<Row>(`${SELECT} WHERE i.id = $1`, [id]);
  if (!rows[0]) throw new NotFoundError("Incident");
  const { rows: events } = await db.query<{ kind: string; actor: string; at: Date; detail: unknown }>("SELECT kind, actor, at, detail FROM incident_events WHERE incident_id = $1 ORDER BY at, id", [id]);
  return { ...toView(rows[0]), timeline: events.map((e) => ({ kind: e.kind, actor: e.actor, at: e.at.toISOString(), detail: e.detail ?? null })) };
}

export type IncidentAction = { kind: "acknowledge"; by: string } | { kind: "resolve"; by: string } | { kind: "snooze"; by: string; minutes: number };

/**
 * A person's action on an incident: the change, its timeline event (who, when) and, for acknowledge
 * and resolve, the notice to the policy's channels (not while snoozed), in one transaction.
 */
export async function actOnIncident(db: pg.Pool, id: number, action: IncidentAction, baseUrl: string, now = Date.now()) {
  await inTransaction(db, async (client) => {
    const { rows } = await client.query<Row>(`${SELECT} WHERE i.id = $1 FOR UPDATE OF i`, [id]);
    const r = rows[0];
    if (!r) throw new NotFoundError("Incident");
    if (r.state === "resolved") throw new ConflictError("The incident is resolved");
    const at = new Date(now);
    let event: NoticeEvent | null = null;
    let detail: Record<string, unknown> | null = null;
    if (action.kind === "acknowledge") {
      if (r.state === "acknowledged") return;
      await client.query("UPDATE incidents SET state = 'acknowledged', acknowledged_at = $2, acknowledged_by = $3 WHERE id = $1", [id, at, action.by]);
      event = "acknowledged";
    } else if (action.kind === "resolve") {
      await client.query("UPDATE incidents SET state = 'resolved', resolved_at = $2, last_notice = 'resolved' WHERE id = $1", [id, at]);
      event = "resolved";
    } else {
      const until = new Date(now + action.minutes * 60_000);
      await client.query("UPDATE incidents SET snoozed_until = $2 WHERE id = $1", [id, until]);
      detail = { until: until.toISOString(), minutes: action.minutes };
    }
    const { rows: ev } = await client.query<{ id: string }>(
      "INSERT INTO incident_events (incident_id, at, kind, actor, detail) VALUES ($1, $2, $3, $4, $5) RETURNING id",
      [id, at, action.kind === "acknowledge" ? "acknowledged" : action.kind === "resolve" ? "resolved" : "snoozed", action.by, detail === null ? null : JSON.stringify(detail)],
    );
    const snoozed = r.snoozed_until !== null && r.snoozed_until.getTime() > now;
    if (event && !snoozed && r.resource_id === null && r.subject !== null && r.account_id !== null && r.channel_ids.length) {
      const region = r.subject.slice(r.subject.indexOf("/") + 1);
      const notice = composeSubjectNotice({
        event, incidentId: Number(r.id), policy: { id: r.policy_id, name: r.policy_name }, severity: r.severity, kind: r.condition_kind as ConditionKind,
        value: r.value, threshold: r.threshold, windowMinutes: r.window_minutes, subject: { accountId: r.account_id, accountName: r.account_name ?? "", region }, at: now, baseUrl,
      });
      await enqueueNotices(client, { ...notice, title: `${notice.title.split(":")[0]}: ${event} by ${action.by}` }, r.channel_ids, ev[0].id);
    }
    if (event && !snoozed && r.resource_id !== null && r.channel_ids.length) {
      const notice = composeNotice({
        event, incidentId: Number(r.id), policy: { id: r.policy_id, name: r.policy_name }, severity: r.severity, kind: r.condition_kind as ConditionKind,
        value: r.value, threshold: r.threshold, windowMinutes: r.window_minutes, invocations: 0,
        resource: { id: r.resource_id, name: r.resource_name ?? "", kind: r.resource_kind ?? "lambda", arn: r.arn ?? "", region: r.region ?? "", accountName: r.account_name ?? "" },
        at: now, baseUrl,
      });
      await enqueueNotices(client, { ...notice, title: `${notice.title.split(":")[0]}: ${event} by ${action.by}` }, r.channel_ids, ev[0].id);
    }
  });
  return getIncident(id, db);
}

const FAILED_STATUSES = ["error", "timeout", "out_of_memory", "crash"];
const EVIDENCE_ROWS = 20;

/** The evidence window: the condition window before the incident opened (as windowTotals counts it) to its resolution or now. */
export function evidenceWindow(openedAt: number, windowMinutes: number, resolvedAt: number | null, now: number): { from: number; to: number } {
  return { from: Math.floor(openedAt / 60_000) * 60_000 - (windowMinutes - 1) * 60_000, to: resolvedAt ?? now };
}

/**
 * What an incident rests on, in one call: the window's figures from the minute rollups (the shared
 * definitions, as the evaluator computes them), the latest failed invocations and the resource's top
 * error group there. An incident without a resource (an account-wide condition) has none of them.
 */
export async function getIncidentEvidence(id: number, db: Db = pool(), now = Date.now()): Promise<IncidentEvidence> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE i.id = $1`, [id]);
  const r = rows[0];
  if (!r) throw new NotFoundError("Incident");
  const { from, to } = evidenceWindow(r.opened_at.getTime(), r.window_minutes, r.resolved_at?.getTime() ?? null, now);
  const window = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  if (r.resource_id === null) return { window, figures: { invocations: 0, failed: 0, value: null }, failing: { total: 0, rows: [] }, topError: null };
  const args = [r.resource_id, new Date(from), new Date(to)];
  const [sums, failing, top] = await Promise.all([
    db.query<{ invocations: number; errors: number; timeouts: number; out_of_memory: number; crashes: number; cold_starts: number; cost_usd: number; max_duration_ms: number | null; hb: number[] | null; hc: number[] | null }>(
      `WITH r AS (SELECT * FROM rollup_minute WHERE resource_id = $1 AND bucket_start >= $2 AND bucket_start <= $3),
            h AS (SELECT u.b::int AS b, sum(u.c)::int AS c FROM r, unnest(r.hist_buckets, r.hist_counts) AS u(b, c) GROUP BY 1)
       SELECT coalesce(sum(invocations), 0)::int AS invocations, coalesce(sum(errors), 0)::int AS errors, coalesce(sum(timeouts), 0)::int AS timeouts,
              coalesce(sum(out_of_memory), 0)::int AS out_of_memory, coalesce(sum(crashes), 0)::int AS crashes, coalesce(sum(cold_starts), 0)::int AS cold_starts,
              coalesce(sum(cost_usd), 0)::float8 AS cost_usd, max(max_duration_ms)::float8 AS max_duration_ms,
              (SELECT array_agg(b ORDER BY b) FROM h) AS hb, (SELECT array_agg(c ORDER BY b) FROM h) AS hc
         FROM r`,
      args,
    ),
    db.query<{ request_id: string; attempt: number; started_at: Date | null; status: string; duration_ms: number | null; error_type: string | null; error_message: string | null; total: string }>(
      `SELECT request_id, attempt, started_at, status::text AS status, duration_ms, error_type, left(error_message, 500) AS error_message, count(*) OVER () AS total
         FROM invocations
        WHERE resource_id = $1 AND day >= ($2::timestamptz AT TIME ZONE 'UTC')::date AND day <= ($3::timestamptz AT TIME ZONE 'UTC')::date
          AND started_at >= $2 AND started_at <= $3 AND status::text = ANY($4::text[])
        ORDER BY started_at DESC, request_id, attempt LIMIT ${EVIDENCE_ROWS}`,
      [...args, FAILED_STATUSES],
    ),
    readTopErrors(db, [{ resourceId: r.resource_id, from, to }]),
  ]);
  const s = sums.rows[0];
  const totals = new Map<number, WindowTotals>();
  addToTotals(totals, r.resource_id, {
    invocations: s.invocations, errors: s.errors, timeouts: s.timeouts, outOfMemory: s.out_of_memory, crashes: s.crashes, coldStarts: s.cold_starts,
    costUsd: s.cost_usd, maxDurationMs: s.max_duration_ms, histBuckets: s.hb ?? [], histCounts: s.hc ?? [],
  });
  const t = totals.get(r.resource_id)!;
  const kind = r.condition_kind as ConditionKind;
  const spanMinutes = Math.max(1, Math.ceil((to - from) / 60_000));
  const g = top.get(topErrorKey({ resourceId: r.resource_id, from, to }));
  return {
    window,
    figures: { invocations: t.invocations, failed: failedInvocations(t), value: isRollupKind(kind) ? conditionValue(kind, t, spanMinutes) : null },
    failing: {
      total: Number(failing.rows[0]?.total ?? 0),
      rows: failing.rows.map((x) => ({ requestId: x.request_id, attempt: x.attempt, startedAt: iso(x.started_at), status: x.status, durationMs: x.duration_ms, errorType: x.error_type, errorMessage: x.error_message })),
    },
    topError: g ? { id: g.groupId, errorType: g.errorType, message: g.message, topFrame: g.topFrame, count: g.count } : null,
  };
}
