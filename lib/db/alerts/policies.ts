import type pg from "pg";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/api/errors";
import { PolicyInput, type PolicyPatch, type PolicyView } from "@/lib/api/schemas/alerts";
import { LOCAL_ACTOR, recordAudit, type Actor } from "../audit";
import { pool } from "../prisma";

type Db = Pick<pg.Pool, "query">;

// camelCase field -> column, for inserts and patches alike.
const COLUMN: Record<Exclude<keyof PolicyInput, never>, string> = {
  name: "name", enabled: "enabled", conditionKind: "condition_kind", threshold: "threshold", criticalThreshold: "critical_threshold",
  windowMinutes: "window_minutes", minInvocations: "min_invocations", severity: "severity", scopeKind: "scope_kind", accountId: "account_id",
  region: "region", tagKey: "tag_key", tagValue: "tag_value", resourceIds: "resource_ids", channelIds: "channel_ids",
  resolveAfterMinutes: "resolve_after_minutes", flapMinutes: "flap_minutes",
};

const SELECT = `SELECT p.*, (SELECT count(*)::int FROM incidents i WHERE i.policy_id = p.id AND i.state <> 'resolved') AS open_incidents FROM alert_policies p`;

type Row = Record<string, unknown> & { id: number; is_default: boolean; open_incidents: number; created_at: Date; updated_at: Date };

function toView(r: Row): PolicyView {
  const out: Record<string, unknown> = { id: r.id, isDefault: r.is_default, openIncidents: r.open_incidents, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString() };
  for (const [field, col] of Object.entries(COLUMN)) out[field] = r[col];
  return out as PolicyView;
}

/** A unique-name violation or a missing account, as the API answers them. */
function mapError(err: unknown): never {
  const code = (err as { code?: string }).code;
  if (code === "23505") throw new ConflictError("A policy with this name already exists");
  if (code === "23503") throw new ValidationError("accountId names no account");
  throw err;
}

export async function listPolicies(db: Db = pool()): Promise<PolicyView[]> {
  const { rows } = await db.query<Row>(`${SELECT} ORDER BY p.id`);
  return rows.map(toView);
}

export async function getPolicy(id: number, db: Db = pool()): Promise<PolicyView> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE p.id = $1`, [id]);
  if (!rows[0]) throw new NotFoundError("Alert policy");
  return toView(rows[0]);
}

export async function createPolicy(input: PolicyInput, db: Db = pool(), actor: Actor = LOCAL_ACTOR): Promise<PolicyView> {
  const fields = Object.keys(COLUMN) as (keyof PolicyInput)[];
  const { rows } = await db
    .query<{ id: number }>(
      `INSERT INTO alert_policies (${fields.map((f) => COLUMN[f]).join(", ")}) VALUES (${fields.map((_, i) => `$${i + 1}`).join(", ")}) RETURNING id`,
      fields.map((f) => input[f]),
    )
    .catch(mapError);
  await recordAudit(db, actor, "alert_policy.added", { kind: "alert_policy", id: rows[0].id, name: input.name }, { ...input });
  return getPolicy(rows[0].id, db);
}

/** Applies a change; the merged policy is validated as a whole (a scope kind needs what it names). */
export async function updatePolicy(id: number, patch: PolicyPatch, db: Db = pool(), actor: Actor = LOCAL_ACTOR): Promise<PolicyView> {
  const current = await getPolicy(id, db);
  const { id: _id, isDefault: _d, openIncidents: _o, createdAt: _c, updatedAt: _u, ...stored } = current;
  const merged = PolicyInput.parse({ ...stored, ...patch });
  const fields = Object.keys(patch) as (keyof PolicyInput)[];
  if (fields.length) {
    await db
      .query(`UPDATE alert_policies SET ${fields.map((f, i) => `${COLUMN[f]} = $${i + 2}`).join(", ")}, updated_at = now() WHERE id = $1`, [id, ...fields.map((f) => merged[f])])
      .catch(mapError);
  }
  await recordAudit(db, actor, "alert_policy.changed", { kind: "alert_policy", id, name: merged.name }, { changed: Object.fromEntries(fields.map((f) => [f, merged[f]])) });
  return getPolicy(id, db);
}

export async function deletePolicy(id: number, db: Db = pool(), actor: Actor = LOCAL_ACTOR): Promise<void> {
  const { rows } = await db.query<{ name: string }>("DELETE FROM alert_policies WHERE id = $1 RETURNING name", [id]);
  if (!rows[0]) throw new NotFoundError("Alert policy");
  await recordAudit(db, actor, "alert_policy.removed", { kind: "alert_policy", id, name: rows[0].name });
}
