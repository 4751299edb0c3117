import type pg from "pg";
import { z } from "zod";
import type { ChannelInput, ChannelPatch, ChannelView, NotificationView } from "@/lib/api/schemas/channels";
import { NotFoundError } from "@/lib/api/errors";
import { CHANNEL_KINDS, describeTarget, KIND_CONFIG, maskSecret, secretFields, splitSecrets, type ChannelKind } from "@/lib/notify/channel-kinds";
import { aadFor, openStored, sealSecret } from "@/lib/crypto/secrets";
import { recordAudit, type Actor } from "../audit";
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
// The one place secrets are written and read: the kind's secret fields as one JSON object, sealed with
// AES-256-GCM (lib/crypto/secrets.ts) and bound to this channel's row. A row from before encryption at
// rest holds plain JSON until the startup step seals it (lib/db/secrets-at-rest.ts).
export const channelSecretsAad = (id: number) => aadFor("channels", "secrets", id);

function sealSecrets(id: number, secrets: Record<string, string>): string | null {
  return Object.keys(secrets).length ? sealSecret(JSON.stringify(secrets), channelSecretsAad(id)) : null;
}

function openSecrets(id: number, sealed: string | null): Record<string, string> {
  if (!sealed) return {};
  const parsed = z.record(z.string(), z.string()).safeParse(JSON.parse(openStored(sealed, channelSecretsAad(id))));
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
  return { id: row.id, name: row.name, kind, enabled: row.enabled, settings: { ...row.config, ...openSecrets(row.id, row.secrets) } };
}

function toView(row: ChannelRow, summary: SummaryRow | undefined): ChannelView {
  const kind = kindOf(row.kind);
  const secrets = openSecrets(row.id, row.secrets);
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

export async function createChannel(input: ChannelInput, actor: Actor, db: Db = pool()): Promise<ChannelView> {
  const { name, kind, enabled, ...fields } = input;
  const { config, secrets } = splitSecrets(kind, fields);
  // The id is taken first: the sealed secrets are bound to it.
  const { rows: ids } = await db.query<{ id: number }>("SELECT nextval(pg_get_serial_sequence('channels', 'id'))::int AS id");
  const id = ids[0].id;
  const { rows } = await db.query<ChannelRow>(
    `INSERT INTO channels (id, name, kind, config, secrets, enabled) VALUES ($1, $2, $3, $4::jsonb, $5, $6) RETURNING ${COLUMNS}`,
    [id, name, kind, JSON.stringify(config), sealSecrets(id, secrets), enabled],
  );
  await recordAudit(db, actor, "channel.added", { kind: "channel", id, name }, { kind, enabled, config, secretsSet: Object.keys(secrets) });
  return toView(rows[0], undefined);
}

/** Applies a change; secrets left out (or empty) keep their stored value. The merged channel is validated as a whole. */
export async function updateChannel(id: number, patch: ChannelPatch, actor: Actor, db: Db = pool()): Promise<ChannelView> {
  const { rows } = await db.query<ChannelRow>(`SELECT ${COLUMNS} FROM channels WHERE id = $1`, [id]);
  const row = rows[0];
  if (!row) throw new NotFoundError("Channel");
  const kind = kindOf(row.kind);
  const { name, enabled, kind: newKind, ...fields } = patch;
  if (newKind !== undefined && newKind !== kind) {
    throw new z.ZodError([{ code: "custom", path: ["kind"], message: "the kind of a channel cannot change; create another channel", input: newKind }]);
  }
  const stored = openSecrets(row.id, row.secrets);
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
    [id, name ?? null, enabled ?? null, JSON.stringify(config), sealSecrets(id, secrets)],
  );
  const changed = Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined);
  await recordAudit(db, actor, "channel.changed", { kind: "channel", id, name: updated[0].name }, { changed, ...(name !== undefined ? { from: row.name } : {}) });
  return toView(updated[0], (await summaries(db, [id])).get(id));
}

export async function deleteChannel(id: number, actor: Actor, db: Db = pool()): Promise<void> {
  const { rows } = await db.query<{ name: string; kind: string }>("DELETE FROM channels WHERE id = $1 RETURNING name, kind", [id]);
  if (!rows[0]) throw new NotFoundError("Channel");
  await recordAudit(db, actor, "channel.removed", { kind: "channel", id, name: rows[0].name }, { kind: rows[0].kind });
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
