import { pendingMigrations } from "./migrations";
import { pool } from "./prisma";

export interface Health {
  ok: boolean;
  database: { ok: boolean; error?: string };
  migrations: { ok: boolean; pending: string[] };
  workers: { lastHeartbeat: string | null; alive: number };
}

// A worker beats every 10 s; one silent for a minute is gone.
const WORKER_STALE_MS = 60_000;

export async function getHealth(): Promise<Health> {
  try {
    const db = pool();
    await db.query("SELECT 1");
    const pending = await pendingMigrations((sql) => db.query(sql));
    const { rows } = await db.query<{ last: Date | null; alive: number }>(
      "SELECT max(last_seen) AS last, count(*) FILTER (WHERE last_seen > now() - $1 * interval '1 millisecond')::int AS alive FROM worker_heartbeats",
      [WORKER_STALE_MS],
    );
    return {
      ok: pending.length === 0,
      database: { ok: true },
      migrations: { ok: pending.length === 0, pending },
      workers: { lastHeartbeat: rows[0]?.last?.toISOString() ?? null, alive: rows[0]?.alive ?? 0 },
    };
  } catch (err) {
    return {
      ok: false,
      database: { ok: false, error: (err as { code?: string }).code === "ECONNREFUSED" ? "connection refused" : "unreachable" },
      migrations: { ok: false, pending: [] },
      workers: { lastHeartbeat: null, alive: 0 },
    };
  }
}
