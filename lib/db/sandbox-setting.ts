import type pg from "pg";
import { pool } from "./prisma";

export interface SandboxSetting {
  /** The user's switch in Settings; on until switched off. */
  enabled: boolean;
  /** Where the last sandbox `osprey start` ran listens, so switching it back on can reconnect at once. */
  endpointUrl: string | null;
}

const KEY = "sandbox";

const toSetting = (value: Partial<SandboxSetting> | undefined): SandboxSetting => ({ enabled: value?.enabled ?? true, endpointUrl: value?.endpointUrl ?? null });

export async function getSandboxSetting(db: Pick<pg.Pool, "query"> = pool()): Promise<SandboxSetting> {
  const { rows } = await db.query<{ value: Partial<SandboxSetting> }>("SELECT value FROM app_settings WHERE key = $1", [KEY]);
  return toSetting(rows[0]?.value);
}

export async function updateSandboxSetting(change: Partial<SandboxSetting>, db: Pick<pg.Pool, "query"> = pool()): Promise<SandboxSetting> {
  const { rows } = await db.query<{ value: Partial<SandboxSetting> }>(
    `INSERT INTO app_settings (key, value) VALUES ($1, $2::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = app_settings.value || EXCLUDED.value, updated_at = now()
     RETURNING value`,
    [KEY, JSON.stringify(change)],
  );
  return toSetting(rows[0].value);
}
