-- REPORT's Billed Duration already includes a SnapStart's Billed Restore Duration (ceil(Duration) +
-- Billed Restore Duration, AWS-FACTS.md), but ingest used to add the restore again: to each restored
-- invocation's cost and to the rollups' billed ms, GB-seconds and cost. This takes the part counted twice
-- out of what is stored. Rollup rows whose invocations retention already dropped cannot be corrected.

CREATE TEMP TABLE "snapstart_overbilled" AS
SELECT i.id, i.day, i.resource_id, i.complete,
       -- When the rollups counted it (lib/analysis/rollup.ts invocationTime).
       coalesce(i.started_at, i.ended_at - coalesce(i.duration_ms, 0) * interval '1 millisecond') AS t,
       i.billed_restore_duration_ms AS ms,
       CASE WHEN i.memory_size_mb IS NULL THEN 0
            ELSE i.billed_restore_duration_ms / 1000.0 * i.memory_size_mb / 1024.0 END AS gbs,
       -- The stored cost was request + (billed + restore) GB-s at the function's price: the restore's share of
       -- the duration part is what was added. Every priced region charges $0.20 per million requests.
       CASE WHEN i.cost_usd IS NULL OR i.billed_duration_ms IS NULL THEN 0
            ELSE (i.cost_usd - 0.0000002) * i.billed_restore_duration_ms / (i.billed_duration_ms + i.billed_restore_duration_ms) END AS usd
  FROM "invocations" i
 WHERE i.billed_restore_duration_ms > 0;

UPDATE "rollup_minute" r
   SET billed_ms = r.billed_ms - x.ms, gb_seconds = r.gb_seconds - x.gbs, cost_usd = r.cost_usd - x.usd
  FROM (SELECT resource_id, date_bin('1 minute', t, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS b,
               sum(ms)::bigint AS ms, sum(gbs)::float8 AS gbs, sum(usd)::float8 AS usd
          FROM "snapstart_overbilled" WHERE complete AND t IS NOT NULL GROUP BY 1, 2) x
 WHERE r.resource_id = x.resource_id AND r.bucket_start = x.b;

UPDATE "rollup_hour" r
   SET billed_ms = r.billed_ms - x.ms, gb_seconds = r.gb_seconds - x.gbs, cost_usd = r.cost_usd - x.usd
  FROM (SELECT resource_id, date_bin('1 hour', t, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS b,
               sum(ms)::bigint AS ms, sum(gbs)::float8 AS gbs, sum(usd)::float8 AS usd
          FROM "snapstart_overbilled" WHERE complete AND t IS NOT NULL GROUP BY 1, 2) x
 WHERE r.resource_id = x.resource_id AND r.bucket_start = x.b;

UPDATE "rollup_day" r
   SET billed_ms = r.billed_ms - x.ms, gb_seconds = r.gb_seconds - x.gbs, cost_usd = r.cost_usd - x.usd
  FROM (SELECT resource_id, date_bin('1 day', t, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS b,
               sum(ms)::bigint AS ms, sum(gbs)::float8 AS gbs, sum(usd)::float8 AS usd
          FROM "snapstart_overbilled" WHERE complete AND t IS NOT NULL GROUP BY 1, 2) x
 WHERE r.resource_id = x.resource_id AND r.bucket_start = x.b;

UPDATE "invocations" i
   SET cost_usd = i.cost_usd - o.usd
  FROM "snapstart_overbilled" o
 WHERE i.id = o.id AND i.day = o.day AND i.cost_usd IS NOT NULL;

-- Summaries computed from the old rollups are stale: a new rollup version makes readers skip them.
UPDATE "rollup_versions" v
   SET version = v.version + 1
  FROM (SELECT DISTINCT account_id, region FROM "resources"
         WHERE id IN (SELECT resource_id FROM "snapstart_overbilled")) s
 WHERE v.account_id = s.account_id AND v.region = s.region;

DROP TABLE "snapstart_overbilled";
