import type pg from "pg";
import { z } from "zod";
import type { ChannelInput, ChannelPatch, ChannelView, NotificationView } from "@/lib/api/schemas/channels";
import { NotFoundError } from "@/lib/api/errors";
import { CHANNEL_KINDS, describeTarget, KIND_CONFIG, maskSecret, secretFields, splitSecrets, type ChannelKind } from "@/lib/notify/channel-kinds";
import { pool } from "../prisma";

type Db = Pick<pg.Pool, "query">;

/** A channel as delivery needs it: config and secrets merged, the kind's schema applied. */
export interface Channel {
  id: number;
  name: string;
  kind: ChannelKind;
  enabled: boolean;
  /** Every field of the kind, secrets included: never log or return this object. */
  settings: Record<string, unknown>;
}

// ---- Secrets at rest ----
// The one place secrets are written and read. Today JSON; encryption at rest (AES-256-GCM under
// OSPREY_SECRET_KEY) replaces these two functions and nothing else.
function sealSecrets(secrets: Record<string, string>): string | null {
  return Object.keys(secrets).length ? JSON.stringify(secrets) : null;
}

function openSecrets(sealed: string | null): Record<string, string> {
  if (!sealed) return {};
  const parsed = z.record(z.string(), z.string()).safeParse(JSON.parse(sealed));
  return parsed.success ? parsed.data : {};
}
// ----

interface ChannelRow {
  id: number;
  name: string;
  kind: string;
  config: Record<string, unknown>;
  secrets: string | null;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

interface SummaryRow {
  channel_id: number;
  last_at: Date | null;
  last_status: string | null;
  last_error: string | null;
  pending: number;
  failed: number;
  sent_24h: number;
}

const COLUMNS = "id, name, kind, config, secrets, enabled, created_at, updated_at";

const kindOf = (k: string): ChannelKind => {
  if (!(CHANNEL_KINDS as readonly string[]).includes(k)) throw new Error(`unknown channel kind ${k}`);
  return k as ChannelKind;
};

function toChannel(row: ChannelRow): Channel {
  const kind = kindOf(row.kind);
  return { id: row.id, name: row.name, kind, enabled: row.enabled, settings: { ...row.config, ...openSecrets(row.secrets) } };
}

function toView(row: ChannelRow, summary: SummaryRow | undefined): ChannelView {
  const kind = kindOf(row.kind);
  const secrets = openSecrets(row.secrets);
  return {
    id: row.id,
    name: row.name,
    kind,
    enabled: row.enabled,
    target: describeTarget(kind, row.config, secrets),
    config: row.config,
    secrets: Object.fromEntries(secretFields(kind).map((f) => [f, maskSecret(secrets[f])])),
    delivery: {
      lastAt: summary?.last_at?.toISOString() ?? null,
      lastStatus: (summary?.last_status as ChannelView["delivery"]["lastStatus"]) ?? null,
      lastError: summary?.last_error ?? null,
      pending: summary?.pending ?? 0,
      failed: summary?.failed ?? 0,
      sent24h: summary?.sent_24h ?? 0,
    },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

async function summaries(db: Db, ids: number[]): Promise<Map<number, SummaryRow>> {
  if (!ids.length) return new Map();
  const { rows } = await db.query<SummaryRow>(
    `SELECT c.id AS channel_id, last.last_attempt_at AS last_at, last.status AS last_status, last.last_error,
            (SELECT count(*)::int FROM notification_outbox o WHERE o.channel_id = c.id AND o.status IN ('pending', 'sending')) AS pending,
            (SELECT count(*)::int FROM notification_outbox o WHERE o.channel_id = c.id AND o.status = 'failed') AS failed,
            (SELECT count(*)::int FROM notification_outbox o WHERE o.channel_id = c.id AND o.status = 'sent' AND o.sent_at > now() - interval '24 hours') AS sent_24h
       FROM channels c
       LEFT JOIN LATERAL (
         SELECT o.last_attempt_at, o.status, o.last_error FROM notification_outbox o
          WHERE o.channel_id = c.id AND o.last_attempt_at IS NOT NULL
          ORDER BY o.last_attempt_at DESC, o.id DESC LIMIT 1
       ) last ON true
      WHERE c.id = ANY($1::int[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.channel_id, r]));
}

export async function listChannels(db: Db = pool()): Promise<ChannelView[]> {
  const { rows } = await db.query<ChannelRow>(`SELECT ${COLUMNS} FROM channels ORDER BY name, id`);
  const s = await summaries(db, rows.map((r) => r.id));
  return rows.map((r) => toView(r, s.get(r.id)));
}

export async function getChannelView(id: number, db: Db = pool()): Promise<ChannelView> {
  const { rows } = await db.query<ChannelRow>(`SELECT ${COLUMNS} FROM channels WHERE id = $1`, [id]);
  if (!rows[0]) throw new NotFoundError("Channel");
  return toView(rows[0], (await summaries(db, [id])).get(id));
}

/** The channel with its secrets, for sending. */
export async function loadChannel(id: number, db: Db = pool()): Promise<Channel | null> {
  const { rows } = await db.query<ChannelRow>(`SELECT ${COLUMNS} FROM channels WHERE id = $1`, [id]);
  return rows[0] ? toChannel(rows[0]) : null;
}

export async function loadChannels(ids: readonly number[], db: Db = pool()): Promise<Map<number, Channel>> {
  const { rows } = await db.query<ChannelRow>(`SELECT ${COLUMNS} FROM channels WHERE id = ANY($1::int[])`, [ids]);
  return new Map(rows.map((r) => [r.id, toChannel(r)]));
}

export async function createChannel(input: ChannelInput, db: Db = pool()): Promise<ChannelView> {
  const { name, kind, enabled, ...fields } = input;
  const { config, secrets } = splitSecrets(kind, fields);
  const { rows } = await db.query<ChannelRow>(
    `INSERT INTO channels (name, kind, config, secrets, enabled) VALUES ($1, $2, $3::jsonb, $4, $5) RETURNING ${COLUMNS}`,
    [name, kind, JSON.stringify(config), sealSecrets(secrets), enabled],
  );
  return toView(rows[0], undefined);
}

/** Applies a change; secrets left out (or empty) keep their stored value. The merged channel is validated as a whole. */
export async function updateChannel(id: number, patch: ChannelPatch, db: Db = pool()): Promise<ChannelView> {
  const { rows } = await db.query<ChannelRow>(`SELECT ${COLUMNS} FROM channels WHERE id = $1`, [id]);
  const row = rows[0];
  if (!row) throw new NotFoundError("Channel");
  const kind = kindOf(row.kind);
  const { name, enabled, kind: newKind, ...fields } = patch;
  if (newKind !== undefined && newKind !== kind) {
    throw new z.ZodError([{ code: "custom", path: ["kind"], message: "the kind of a channel cannot change; create another channel", input: newKind }]);
  }
  const stored = openSecrets(row.secrets);
  const merged: Record<string, unknown> = { ...row.config, ...stored };
  for (const [k, v] of Object.entries(fields)) {
    if (secretFields(kind).includes(k) && (v === undefined || v === "")) continue;
    merged[k] = v;
  }
  const valid = KIND_CONFIG[kind].parse(merged) as Record<string, unknown>;
  const { config, secrets } = splitSecrets(kind, valid);
  const { rows: updated } = await db.query<ChannelRow>(
    `UPDATE channels SET name = COALESCE($2, name), enabled = COALESCE($3, enabled), config = $4::jsonb, secrets = $5, updated_at = now()
      WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, name ?? null, enabled ?? null, JSON.stringify(config), sealSecrets(secrets)],
  );
  return toView(updated[0], (await summaries(db, [id])).get(id));
}

export async function deleteChannel(id: number, db: Db = pool()): Promise<void> {
  const { rowCount } = await db.query("DELETE FROM channels WHERE id = $1", [id]);
  if (!rowCount) throw new NotFoundError("Channel");
}

interface NotificationRow {
  id: string;
  incident_id: string | null;
  event: string;
  title: string | null;
  status: NotificationView["status"];
  attempts: number;
  last_error: string | null;
  delivery_info: string | null;
  created_at: Date;
  last_attempt_at: Date | null;
  next_attempt_at: Date;
  sent_at: Date | null;
  folded_into: string | null;
}

/** A channel's notifications, newest first: what was sent, what waits, what failed and why. */
export async function listChannelNotifications(channelId: number, opts: { status?: NotificationView["status"]; limit: number }, db: Db = pool()): Promise<NotificationView[]> {
  const { rows } = await db.query<NotificationRow>(
    `SELECT id, incident_id, event, notice->>'title' AS title, status, attempts, last_error, delivery_info, created_at, last_attempt_at, next_attempt_at, sent_at, folded_into
       FROM notification_outbox WHERE channel_id = $1 AND ($2::text IS NULL OR status = $2) ORDER BY id DESC LIMIT $3`,
    [channelId, opts.status ?? null, opts.limit],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    incidentId: r.incident_id === null ? null : Number(r.incident_id),
    event: r.event,
    title: r.title,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    deliveryInfo: r.delivery_info,
    createdAt: r.created_at.toISOString(),
    lastAttemptAt: r.last_attempt_at?.toISOString() ?? null,
    nextAttemptAt: r.status === "pending" ? r.next_attempt_at.toISOString() : null,
    sentAt: r.sent_at?.toISOString() ?? null,
    foldedInto: r.folded_into === null ? null : Number(r.folded_into),
  }));
}
