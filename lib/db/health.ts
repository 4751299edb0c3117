import { healthStatus, type HealthStatus } from "../analysis/health-status";
import { env } from "../env";
import { pendingMigrations } from "./migrations";
import { pool } from "./prisma";
import { countLiveWorkers } from "./worker-liveness";

export interface Health {
  /** the web server can serve: database reachable, migrations current */
  ok: boolean;
  /** ok; degraded (serving, but no worker is alive, so nothing is ingested); down */
  status: HealthStatus;
  /** why the status is not ok, in words */
  problems: string[];
  database: { ok: boolean; error?: string };
  migrations: { ok: boolean; pending: string[] };
  workers: { lastHeartbeat: string | null; alive: number };
}

export async function getHealth(now = Date.now()): Promise<Health> {
  const staleMs = env().OSPREY_WORKER_STALE_SECONDS * 1000;
  try {
    const db = pool();
    await db.query("SELECT 1");
    const pending = await pendingMigrations((sql) => db.query(sql));
    const workers = pending.length ? { alive: 0, lastHeartbeat: null } : await countLiveWorkers(db, staleMs);
    const { status, problems } = healthStatus({ databaseOk: true, pendingMigrations: pending, workersAlive: workers.alive, lastHeartbeat: workers.lastHeartbeat, staleMs, now });
    return {
      ok: pending.length === 0,
      status,
      problems,
      database: { ok: true },
      migrations: { ok: pending.length === 0, pending },
      workers: { lastHeartbeat: workers.lastHeartbeat?.toISOString() ?? null, alive: workers.alive },
    };
  } catch (err) {
    const error = (err as { code?: string }).code === "ECONNREFUSED" ? "connection refused" : "unreachable";
    const { status, problems } = healthStatus({ databaseOk: false, databaseError: error, pendingMigrations: [], workersAlive: 0, lastHeartbeat: null, staleMs, now });
    return { ok: false, status, problems, database: { ok: false, error }, migrations: { ok: false, pending: [] }, workers: { lastHeartbeat: null, alive: 0 } };
  }
}
