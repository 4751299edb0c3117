import type pg from "pg";
import { composeNotice } from "@/lib/analysis/alerts/compose-notice";
import type { ConditionKind } from "@/lib/analysis/alerts/evaluate";
import type { NoticeEvent } from "@/lib/analysis/alerts/notice";
import { ConflictError, NotFoundError } from "@/lib/api/errors";
import type { IncidentsQuery, IncidentView } from "@/lib/api/schemas/alerts";
import { enqueueNotices } from "../notifications/outbox";
import { pool } from "../prisma";
import { inTransaction } from "../transaction";

type Db = Pick<pg.Pool, "query">;

const SELECT = `SELECT i.*, p.name AS policy_name, p.condition_kind, p.window_minutes, p.channel_ids,
       r.name AS resource_name, r.kind::text AS resource_kind, r.arn, r.region, a.name AS account_name
  FROM incidents i JOIN alert_policies p ON p.id = i.policy_id
  LEFT JOIN resources r ON r.id = i.resource_id LEFT JOIN accounts a ON a.id = r.account_id`;

interface Row {
  id: string; policy_id: number; resource_id: number | null; state: IncidentView["state"]; severity: IncidentView["severity"]; value: number | null; threshold: number; flaps: number;
  opened_at: Date; acknowledged_at: Date | null; acknowledged_by: string | null; resolved_at: Date | null; snoozed_until: Date | null; last_evaluated_at: Date;
  policy_name: string; condition_kind: string; window_minutes: number; channel_ids: number[];
  resource_name: string | null; resource_kind: string | null; arn: string | null; region: string | null; account_name: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toView(r: Row): IncidentView {
  return {
    id: Number(r.id), policy: { id: r.policy_id, name: r.policy_name, conditionKind: r.condition_kind },
    resource: r.resource_id === null ? null : { id: r.resource_id, name: r.resource_name ?? "" },
    state: r.state, severity: r.severity, value: r.value, threshold: r.threshold, flaps: r.flaps,
    openedAt: r.opened_at.toISOString(), acknowledgedAt: iso(r.acknowledged_at), acknowledgedBy: r.acknowledged_by, resolvedAt: iso(r.resolved_at),
    snoozedUntil: iso(r.snoozed_until), lastEvaluatedAt: r.last_evaluated_at.toISOString(),
  };
}

export async function listIncidents(q: IncidentsQuery, db: Db = pool()): Promise<IncidentView[]> {
  const { rows } = await db.query<Row>(
    `${SELECT} WHERE ($1::text IS NULL OR i.state = $1) AND ($2::text IS NULL OR i.severity = $2) AND ($3::int IS NULL OR i.resource_id = $3)
      ORDER BY i.opened_at DESC, i.id DESC LIMIT 500`,
    [q.state ?? null, q.severity ?? null, q.resourceId ?? null],
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
