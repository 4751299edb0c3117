import type pg from "pg";
import type { Sandbox } from "../lib/sandbox";

export interface Mismatch {
  functionName: string;
  expected: number;
  stored: number;
  firstDifference?: string;
}

/**
 * Compares the stored invocations of a region with the sandbox's ground truth over [from, to):
 * every invocation present once, with the same attempt, status, cold start, durations, memory
 * and start. Returns the mismatches (none when ingest was exact) and how many were compared.
 */
export async function compareWithSandbox(db: pg.Pool, sandbox: Sandbox, region: string, from: number, to: number): Promise<{ compared: number; mismatches: Mismatch[] }> {
  let compared = 0;
  const mismatches: Mismatch[] = [];
  for (const { spec } of sandbox.workload.listFunctions(region)) {
    const truth = sandbox.workload.invocations(spec.name, region, from, to);
    const { rows } = await db.query(
      `SELECT i.request_id, i.attempt, i.status, i.cold_start, i.duration_ms, i.billed_duration_ms, i.memory_size_mb,
              i.max_memory_used_mb, i.error_type, (extract(epoch FROM i.started_at) * 1000)::float8 AS started
         FROM invocations i JOIN resources r ON r.id = i.resource_id
        WHERE r.name = $1 AND r.region = $2 AND i.started_at >= $3 AND i.started_at < $4`,
      [spec.name, region, new Date(from), new Date(to)],
    );
    const stored = new Map(rows.map((r) => [`${r.request_id}#${r.attempt}`, r]));
    let firstDifference: string | undefined;
    for (const t of truth) {
      const s = stored.get(`${t.requestId}#${t.attempt}`);
      // A function error's type must come through too: it is what the error groups are made of.
      const want = JSON.stringify([t.status, t.coldStart, t.durationMs, t.billedMs, t.memorySizeMb, t.memoryUsedMb, t.start, t.status === "error" ? t.errorType : null]);
      const got = s
        ? JSON.stringify([s.status, s.cold_start, s.duration_ms, s.billed_duration_ms, s.memory_size_mb, s.max_memory_used_mb, s.started, s.status === "error" ? s.error_type : null])
        : "missing";
      if (want !== got) firstDifference ??= `${t.requestId}#${t.attempt}: expected ${want}, stored ${got}`;
      compared++;
    }
    if (rows.length !== truth.length || firstDifference) mismatches.push({ functionName: spec.name, expected: truth.length, stored: rows.length, firstDifference });
  }
  return { compared, mismatches };
}
