import { AUDIT_ACTIONS, AUDIT_TARGET_KINDS } from "../api/schemas/audit";
import type pg from "pg";
import { SECRET_FIELDS } from "@/lib/notify/channel-kinds";
import { clientIp } from "../auth/client-ip";
import { principalFor } from "../auth/principal";
import { pool } from "./prisma";

type Db = Pick<pg.Pool, "query">;

/** Who did something: the signed-in user's email, or "local (cli)" for the command line. */
export interface Actor {
  name: string;
  ip?: string | null;
}
export const LOCAL_ACTOR: Actor = { name: "local" };

/** The actor of an API request: its signed-in user's email (and the token, when one was used) (handle() resolved it), with the address the request came from, when a proxy says it. */
export function actorOf(req: Request): Actor {
  const p = principalFor(req);
  const name = !p ? "anonymous" : p.kind === "token" ? `${p.email} (API token ${p.tokenHint})` : p.email;
  return { name, ip: clientIp(req.headers) };
}
export const CLI_ACTOR: Actor = { name: "local (cli)" };

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export type AuditTargetKind = (typeof AUDIT_TARGET_KINDS)[number];

export interface AuditTarget {
  kind: AuditTargetKind;
  id?: number | string | null;
  name?: string | null;
}

// Names whose values are secrets wherever they appear in a detail: dropped, never stored.
const SECRET_KEYS = new Set(
  [...Object.values(SECRET_FIELDS).flat(), "secrets", "settings", "externalId", "external_id", "firehoseKey", "key", "password", "token", "accessKey", "secretAccessKey", "sessionToken"].map((k) =>
    k.toLowerCase(),
  ),
);

/** A detail without secrets: secret-named fields become "[secret]" when set, recursively. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, SECRET_KEYS.has(k.toLowerCase()) ? (v === null || v === "" ? v : "[secret]") : withoutSecrets(v)]),
    );
  }
  return value;
}

export async function recordAudit(db: Db, actor: Actor, action: AuditAction, target: AuditTarget, detail?: Record<string, unknown> | null): Promise<void> {
  await db.query(
    `INSERT INTO audit_events (actor, action, target_kind, target_id, target_name, detail, ip) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)`,
    [
      actor.name,
      action,
      target.kind,
      target.id === undefined || target.id === null ? null : String(target.id),
      target.name ?? null,
      detail ? JSON.stringify(withoutSecrets(detail)) : null,
      actor.ip ?? null,
    ],
  );
}

export interface AuditEventView {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: { kind: string; id: string | null; name: string | null };
  detail: unknown;
  ip: string | null;
}

interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  action: string;
  target_kind: string;
  target_id: string | null;
  target_name: string | null;
  detail: unknown;
  ip: string | null;
}

export interface AuditQuery {
  action?: string;
  targetKind?: string;
  targetId?: string;
  /** Entries older than this id (the previous page's nextBefore). */
  before?: number;
  limit: number;
}

/** The latest entries first, paged by id. */
export async function listAuditEvents(q: AuditQuery, db: Db = pool()): Promise<{ data: AuditEventView[]; nextBefore: number | null }> {
  const { rows } = await db.query<AuditRow>(
    `SELECT id, at, actor, action, target_kind, target_id, target_name, detail, ip FROM audit_events
      WHERE ($1::text IS NULL OR action = $1) AND ($2::text IS NULL OR target_kind = $2) AND ($3::text IS NULL OR target_id = $3)
        AND ($4::bigint IS NULL OR id < $4)
      ORDER BY id DESC LIMIT $5`,
    [q.action ?? null, q.targetKind ?? null, q.targetId ?? null, q.before ?? null, q.limit + 1],
  );
  const page = rows.slice(0, q.limit);
  return {
    data: page.map((r) => ({
      id: Number(r.id),
      at: r.at.toISOString(),
      actor: r.actor,
      action: r.action,
      target: { kind: r.target_kind, id: r.target_id, name: r.target_name },
      detail: r.detail,
      ip: r.ip,
    })),
    nextBefore: rows.length > q.limit ? Number(page[page.length - 1].id) : null,
  };
}
