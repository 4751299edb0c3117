export interface ResourceFilter {
  kind?: string;
  account?: number[];
  region?: string[];
  runtime?: string[];
  tag?: { key: string; value: string }[];
  q?: string;
  ids?: number[];
  includeDeleted?: boolean;
}

/** WHERE conditions on `resources` aliased `r`; parameters are appended to `params`. */
export function resourceWhere(f: ResourceFilter, params: unknown[]): string {
  const cond: string[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.kind) cond.push(`r.kind = ${p(f.kind)}::"ResourceKind"`);
  if (f.account?.length) cond.push(`r.account_id = ANY(${p(f.account)}::int[])`);
  if (f.region?.length) cond.push(`r.region = ANY(${p(f.region)}::text[])`);
  if (f.runtime?.length) cond.push(`r.config->>'runtime' = ANY(${p(f.runtime)}::text[])`);
  for (const t of f.tag ?? []) cond.push(`r.tags @> ${p(JSON.stringify({ [t.key]: t.value }))}::jsonb`);
  if (f.q) cond.push(`r.name ILIKE ${p(`%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`)}`);
  if (f.ids) cond.push(`r.id = ANY(${p(f.ids)}::int[])`);
  if (!f.includeDeleted) cond.push("r.deleted_at IS NULL");
  return cond.length ? cond.join(" AND ") : "true";
}

/** The filter's own fields only (callers pass wider objects): a stable key for cached results. */
export function filterKey(f: ResourceFilter): string {
  return JSON.stringify([f.kind ?? null, f.account ?? null, f.region ?? null, f.runtime ?? null, f.tag ?? null, f.q ?? null, f.ids ?? null, Boolean(f.includeDeleted)]);
}
