import { describe, expect, it } from "vitest";
import { healthStatus } from "./health-status";

const base = { databaseOk: true, pendingMigrations: [], workersAlive: 2, lastHeartbeat: new Date(1_000_000), staleMs: 60_000, now: 1_005_000 };

describe("health status", () => {
  it("is ok with the database up, migrations current and a worker alive", () => {
    expect(healthStatus(base)).toEqual({ status: "ok", problems: [] });
  });

  it("is degraded, and says why, when no worker is alive", () => {
    const gone = healthStatus({ ...base, workersAlive: 0, now: 1_000_000 + 95_000 });
    expect(gone.status).toBe("degraded");
    expect(gone.problems).toEqual([expect.stringMatching(/^no worker alive: the last heartbeat was 95 s ago .* gone after 60 s/)]);
    const never = healthStatus({ ...base, workersAlive: 0, lastHeartbeat: null });
    expect(never.problems).toEqual([expect.stringMatching(/no worker has ever sent a heartbeat; start one with `osprey workers`/)]);
  });

  it("is down when the database cannot be reached or migrations are pending", () => {
    expect(healthStatus({ ...base, databaseOk: false, databaseError: "connection refused", workersAlive: 0 })).toEqual({ status: "down", problems: ["database connection refused"] });
    expect(healthStatus({ ...base, pendingMigrations: ["20261203150000_worker_liveness"] }).status).toBe("down");
  });
});
