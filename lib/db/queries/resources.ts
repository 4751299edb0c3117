import type pg from "pg";
import type { ResourceListQuery, ResourceListResponse, ResourceRow } from "@/lib/api/schemas/resources";
import { decodeCursor, encodeCursor, OffsetCursor, type TimeRange } from "@/lib/api/schemas/common";
import { coldStartRate, failedRate } from "@/lib/analysis/metrics";
import { percentilesOf } from "./hist";
import { resourceWhere } from "./resource-filter";
import { getResourceStats } from "./range-stats";
import { sparkBins, type ResourceStats } from "./resource-stats";
import { coverRange, GRAIN_MS, type Grain } from "./rollup-range";
import { kindColumnValues } from "./resource-metrics";

export function toResourceRow(s: ResourceStats): ResourceRow {
  const cfg = s.config as { runtime?: string | null; memorySizeMB?: number; architecture?: string };
  const memorySizeMB = typeof cfg.memorySizeMB === "number" ? cfg.memorySizeMB : null;
  return {
    id: s.id,
    name: s.name,
    kind: s.kind,
    region: s.region,
    accountId: s.accountId,
    account: s.accountName,
    runtime: cfg.runtime ?? null,
    memorySizeMB,
    architecture: cfg.architecture ?? null,
    deleted: s.deleted,
    invocations: s.invocations,
    errors: s.errors,
    // s.errors counts failed invocations of every kind (FAILED_SQL).
    errorRate: failedRate(s.errors, s.invocations),
    ...percentilesOf(s.hist, s.maxDurationMs),
    coldStarts: s.coldStarts,
    coldStartRate: coldStartRate(s),
    maxMemoryUsedMB: s.maxMemoryUsedMB,
    memoryUsedRatio: s.maxMemoryUsedMB !== null && memorySizeMB ? s.maxMemoryUsedMB / memorySizeMB : null,
    costUsd: s.costUsd,
    sparkline: s.sparkline,
  };
}

function sortKey(row: ResourceRow, column: ResourceListQuery["sort"]): string | number | null {
  return column === "account" ? row.account : row[column];
}

/** Ascending or descending on one column; nulls always last, ties by id. */
export function compareRows(column: ResourceListQuery["sort"], order: "asc" | "desc") {
  const dir = order === "asc" ? 1 : -1;
  return (a: ResourceRow, b: ResourceRow) => {
    const x = sortKey(a, column);
    const y = sortKey(b, column);
    if (x === null || y === null) return x === y ? a.id - b.id : x === null ? 1 : -1;
    const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    return c !== 0 ? dir * c : a.id - b.id;
  };
}

const OPS = {
  gt: (a: number, b: number) => a > b,
  gte: (a: number, b: number) => a >= b,
  lt: (a: number, b: number) => a < b,
  lte: (a: number, b: number) => a <= b,
  eq: (a: number, b: number) => a === b,
};

/**
 * The function list: every matching resource is aggregated (a thousand rows of rollups merge in
 * tens of milliseconds), then filtered, sorted and paged here, so any column can sort.
 */
/** The runtimes of the resources in scope (kind, account, region), whatever the other filters, for the runtime filter's options. */
export async function listRuntimes(db: pg.Pool, q: Pick<ResourceListQuery, "kind" | "account" | "region" | "includeDeleted">): Promise<string[]> {
  const params: unknown[] = [];
  const where = resourceWhere({ kind: q.kind, account: q.account, region: q.region, includeDeleted: q.includeDeleted }, params);
  const { rows } = await db.query<{ runtime: string }>(
    `SELECT DISTINCT r.config->>'runtime' AS runtime FROM resources r WHERE ${where} AND r.config->>'runtime' IS NOT NULL ORDER BY 1`,
    params,
  );
  return rows.map((r) => r.runtime);
}

export async function listResources(db: pg.Pool, q: ResourceListQuery, range: TimeRange): Promise<ResourceListResponse> {
  const [stats, runtimes] = await Promise.all([getResourceStats(db, { ...q, kind: q.kind }, range.from, range.to), listRuntimes(db, q)]);
  let rows = stats.map(toResourceRow);
  for (const f of q.filter ?? []) {
    rows = rows.filter((r) => {
      const v = r[f.column];
      return v !== null && OPS[f.op](v, f.value);
    });
  }
  rows.sort(compareRows(q.sort, q.order));
  const offset = decodeCursor(q.cursor, OffsetCursor)?.o ?? 0;
  let page = rows.slice(offset, offset + q.limit);
  if (q.kind !== "lambda") {
    // The tab's own CloudWatch columns, for the page's rows only.
    const values = await kindColumnValues(db, q.kind, page.map((r) => r.id), range.from, range.to);
    page = page.map((r) => ({ ...r, metrics: values.get(r.id) ?? {} }));
  }
  const next = offset + q.limit < rows.length ? encodeCursor({ o: offset + q.limit }) : null;
  const segments = coverRange(range.from, range.to);
  const bins = sparkBins(segments);
  const grain = (Object.keys(GRAIN_MS) as Grain[]).find((g) => GRAIN_MS[g] === Math.max(...segments.map((s) => GRAIN_MS[s.grain])))!;
  return { data: page, nextCursor: next, meta: { ...range, grain, total: rows.length, sparkBinMs: bins.binMs, runtimes } };
}
