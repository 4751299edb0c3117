import { z } from "zod";

export const StorageResponse = z.object({
  data: z.object({
    databaseBytes: z.number().meta({ description: "pg_database_size of Osprey's database" }),
    dataFolder: z
      .object({ path: z.string(), bytes: z.number(), walBytes: z.number().meta({ description: "of which pg_wal" }) })
      .nullable()
      .meta({ description: "The embedded Postgres's data folder on disk; null when DATABASE_URL names a server of its own" }),
    retentionDays: z.number().meta({ description: "OSPREY_RETENTION_DAYS: days of invocations, logs and spans kept" }),
  }),
});
export type StorageResponse = z.infer<typeof StorageResponse>;
