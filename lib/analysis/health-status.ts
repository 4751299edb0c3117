export type HealthStatus = "ok" | "degraded" | "down";

export interface HealthFacts {
  databaseOk: boolean;
  databaseError?: string;
  pendingMigrations: string[];
  workersAlive: number;
  lastHeartbeat: Date | null;
  staleMs: number;
  now: number;
}

/**
 * "down" when the web server cannot serve (database unreachable, migrations pending); "degraded" when
 * it serves but nothing ingests (no worker alive): pages show data that stops getting newer.
 */
export function healthStatus(f: HealthFacts): { status: HealthStatus; problems: string[] } {
  const problems: string[] = [];
  if (!f.databaseOk) problems.push(`database ${f.databaseError ?? "unreachable"}`);
  else if (f.pendingMigrations.length) problems.push(`migrations pending: ${f.pendingMigrations.join(", ")} (run \`osprey migrate\`)`);
  if (problems.length) return { status: "down", problems };
  if (f.workersAlive === 0) {
    const staleS = Math.round(f.staleMs / 1000);
    problems.push(
      f.lastHeartbeat
        ? `no worker alive: the last heartbeat was ${Math.round((f.now - f.lastHeartbeat.getTime()) / 1000)} s ago (a worker beats every few seconds and counts as gone after ${staleS} s); nothing is being ingested`
        : "no worker alive: no worker has ever sent a heartbeat; start one with `osprey workers`; nothing is being ingested",
    );
    return { status: "degraded", problems };
  }
  return { status: "ok", problems };
}
