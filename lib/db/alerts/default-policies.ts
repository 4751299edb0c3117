import type pg from "pg";

/**
 * The policies a new install starts with, so the sandbox shows incidents without setup. Created once:
 * a marker in app_settings is written in the same statement, so a default a user deleted stays deleted.
 * They notify no channel until one is chosen.
 */
export async function ensureDefaultPolicies(db: Pick<pg.Pool, "query">): Promise<number> {
  const { rowCount } = await db.query(
    `WITH marker AS (
       INSERT INTO app_settings (key, value) VALUES ('alerts.defaults_created', 'true'::jsonb) ON CONFLICT (key) DO NOTHING RETURNING 1
     )
     INSERT INTO alert_policies (name, condition_kind, threshold, critical_threshold, window_minutes, min_invocations, severity, is_default)
     SELECT d.* FROM marker, (VALUES
       ('Error rate ≥ 5 % over 10 min', 'error_rate', 0.05::float8, 0.25::float8, 10, 10, 'warning', true),
       ('Out of memory', 'out_of_memory', 1::float8, NULL::float8, 10, 1, 'warning', true)
     ) AS d(name, condition_kind, threshold, critical_threshold, window_minutes, min_invocations, severity, is_default)
     ON CONFLICT (name) DO NOTHING`,
  );
  return rowCount ?? 0;
}
