// Seeds the API bench database: 1,000 functions, 30 days of invocations (10 M by default) and the
// minute/hour/day rollups, logs, spans, error groups, metric points and ingest runs derived from them.
// Everything is generated in SQL (INSERT ... SELECT generate_series): row-by-row from Node would take hours.
import type pg from "pg";
import { ensurePartitions } from "@/lib/db/partitions";

export interface SeedOptions {
  functions: number;
  invocations: number;
  days: number;
  log?: (msg: string) => void;
}

export interface SeedInfo {
  seededAt: number;
  functions: number;
  invocations: number;
  days: number;
}

const DAY_MS = 86_400_000;
const SEED_VERSION = 1;

// Duration histogram layout of lib/analysis/histogram.ts (MIN_MS 0.01, RATIO 1.04, 469 buckets), in SQL.
const BUCKET_SQL = `CASE WHEN duration_ms < 0.01 THEN 0 WHEN duration_ms >= 0.01 * power(1.04, 467) THEN 468
  ELSE least(467, 1 + floor(ln(duration_ms / 0.01) / ln(1.04)))::int END`;

export async function readSeed(db: pg.Pool): Promise<SeedInfo | null> {
  const { rows } = await db.query<{ info: SeedInfo }>(
    `SELECT info FROM bench_api_seed WHERE version = $1`,
    [SEED_VERSION],
  ).catch(() => ({ rows: [] as { info: SeedInfo }[] }));
  return rows[0]?.info ?? null;
}

export async function seedApiBench(db: pg.Pool, opts: SeedOptions): Promise<SeedInfo> {
  const log = opts.log ?? (() => {});
  const existing = await readSeed(db);
  if (existing && existing.functions === opts.functions && existing.invocations === opts.invocations && existing.days === opts.days) {
    log(`seed: reusing data seeded at ${new Date(existing.seededAt).toISOString()}`);
    return existing;
  }
  const seededAt = Math.floor(Date.now() / 60_000) * 60_000;
  const from = seededAt - opts.days * DAY_MS;
  await db.query("DROP TABLE IF EXISTS bench_api_seed");
  for (const t of ["accounts", "ingest_runs", "ingest_cursors", "error_groups", "error_occurrences", "rollup_minute", "rollup_hour", "rollup_day", "invocations", "log_events", "spans", "metric_points", "insights"]) {
    await db.query(`TRUNCATE ${t} CASCADE`);
  }
  await ensurePartitions(db, { daysAhead: 1, retentionDays: opts.days + 2, now: seededAt });

  const c = await db.connect();
  const q = async (label: string, sql: string, params: unknown[] = []) => {
    const t0 = Date.now();
    const r = await c.query(sql, params);
    log(`seed: ${label} ${r.rowCount ?? ""} rows in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return r;
  };
  try {
    await c.query("SET TimeZone = 'UTC'; SET synchronous_commit = off; SET work_mem = '256MB'; SET maintenance_work_mem = '512MB'");
    await seedResources(q, opts.functions, from);
    await seedInvocations(q, opts, from, seededAt);
    await seedRollups(q, from, seededAt);
    await seedDetails(q, seededAt);
    await seedErrorsAndHealth(q, seededAt);
    await q("analyze", "ANALYZE");
    const info: SeedInfo = { seededAt, functions: opts.functions, invocations: opts.invocations, days: opts.days };
    await c.query("CREATE TABLE bench_api_seed (version int PRIMARY KEY, info jsonb NOT NULL)");
    await c.query("INSERT INTO bench_api_seed VALUES ($1, $2)", [SEED_VERSION, JSON.stringify(info)]);
    return info;
  } finally {
    c.release();
  }
}

type Q = (label: string, sql: string, params?: unknown[]) => Promise<pg.QueryResult>;

async function seedResources(q: Q, functions: number, from: number): Promise<void> {
  await q(
    "accounts",
    `INSERT INTO accounts (name, aws_account_id, regions, updated_at)
     VALUES ('bench-prod', '111111111111', ARRAY['us-east-1','eu-west-1'], now()), ('bench-staging', '222222222222', ARRAY['us-east-1','eu-west-1'], now())`,
  );
  await q("helper table", "DROP TABLE IF EXISTS bench_api_res");
  // k is the resource's rank in the skewed choice below; base_ms and err_p give each function its own profile.
  await q(
    "resources",
    `WITH a AS (SELECT array_agg(id ORDER BY id) ids, array_agg(aws_account_id ORDER BY id) acct FROM accounts),
     g AS (SELECT i, (ARRAY['orders','payments','search','users','billing','media','auth','notify'])[1 + i % 8] team,
                  (ARRAY['us-east-1','eu-west-1'])[1 + (i / 2) % 2] region,
                  (ARRAY['nodejs20.x','nodejs22.x','python3.12','python3.9','java21','provided.al2023','nodejs16.x'])[1 + i % 7] runtime,
                  (ARRAY[128,256,512,1024,1769,3008])[1 + (i * 7) % 6] mem,
                  CASE WHEN i % 3 = 0 THEN 'arm64' ELSE 'x86_64' END arch, 1 + i % 2 acc
             FROM generate_series(1, $1::int) i)
     INSERT INTO resources (account_id, region, kind, arn, name, config, tags, first_seen_at, last_seen_at)
     SELECT a.ids[acc], region, 'lambda', format('arn:aws:lambda:%s:%s:function:%s-fn-%s', region, a.acct[acc], team, i), format('%s-fn-%s', team, i),
            jsonb_build_object('functionName', format('%s-fn-%s', team, i), 'arn', format('arn:aws:lambda:%s:%s:function:%s-fn-%s', region, a.acct[acc], team, i),
              'runtime', runtime, 'memorySizeMB', mem, 'timeoutS', (ARRAY[3,10,30,60,900])[1 + i % 5], 'architecture', arch, 'packageType', 'Zip',
              'codeSizeBytes', 100000 * (1 + i % 50), 'handler', 'index.handler', 'role', format('arn:aws:iam::%s:role/%s-role', a.acct[acc], team),
              'layers', '[]'::jsonb, 'tracingMode', CASE WHEN i % 5 = 0 THEN 'Active' ELSE 'PassThrough' END,
              'logGroup', format('/aws/lambda/%s-fn-%s', team, i), 'logFormat', CASE WHEN i % 2 = 0 THEN 'JSON' ELSE 'Text' END,
              'logRetentionDays', 30, 'reservedConcurrency', null, 'provisionedConcurrency', null, 'deadLetterTargetArn', null,
              'onFailureDestination', null, 'snapStart', false, 'ephemeralStorageMB', 512, 'lastModified', to_char(to_timestamp($2::bigint / 1000.0), 'YYYY-MM-DD"T"HH24:MI:SS.MS+0000'),
              'envVarCount', i % 6, 'eventSourceMappings', '[]'::jsonb, 'invokedAsync', i % 4 = 1, 'userFacing', i % 4 = 0,
              'tags', jsonb_build_object('team', team, 'env', CASE WHEN acc = 1 THEN 'prod' ELSE 'staging' END)),
            jsonb_build_object('team', team, 'env', CASE WHEN acc = 1 THEN 'prod' ELSE 'staging' END),
            to_timestamp($2::bigint / 1000.0), now()
       FROM g, a`,
    [functions, from],
  );
  await q(
    "config versions",
    `INSERT INTO resource_config_versions (resource_id, seen_at, config, changes)
     SELECT id, first_seen_at, config, '[]' FROM resources
     UNION ALL
     SELECT id, first_seen_at + interval '20 days', config, jsonb_build_array(jsonb_build_object('path', 'memorySizeMB', 'from', (config->>'memorySizeMB')::int / 2, 'to', (config->>'memorySizeMB')::int))
       FROM resources WHERE id % 10 = 0`,
  );
  await q(
    "helper rows",
    `CREATE TABLE bench_api_res AS
     SELECT row_number() OVER (ORDER BY id)::int AS k, id, region, (config->>'memorySizeMB')::int mem, config->>'architecture' arch,
            (config->>'timeoutS')::int timeout_s, 20 + (id * 37) % 900 AS base_ms, 0.001 + (id % 10) * 0.004 AS err_p
       FROM resources`,
  );
  await q("helper index", "CREATE UNIQUE INDEX ON bench_api_res (k)");
}

async function seedInvocations(q: Q, opts: SeedOptions, from: number, to: number): Promise<void> {
  const perMs = opts.invocations / (to - from);
  let g0 = 1;
  for (let start = from; start < to; start = Math.floor(start / DAY_MS) * DAY_MS + DAY_MS) {
    const end = Math.min(to, Math.floor(start / DAY_MS) * DAY_MS + DAY_MS);
    const n = Math.round((end - start) * perMs);
    // power(random(), 1.6) skews traffic: low ranks get most invocations, as in a real fleet.
    await q(
      `invocations ${new Date(start).toISOString().slice(0, 10)}`,
      `INSERT INTO invocations (day, resource_id, request_id, attempt, log_stream, started_at, ended_at, duration_ms, billed_duration_ms,
                                memory_size_mb, max_memory_used_mb, init_duration_ms, cold_start, cold_start_kind, status, error_type, error_message,
                                trace_id, cost_usd, complete)
       SELECT (x.t AT TIME ZONE 'UTC')::date, x.id, x.rid, 1,
              to_char(x.t, 'YYYY/MM/DD') || '/[$LATEST]' || md5(x.id::text || date_trunc('hour', x.t)::text),
              x.t, x.t + make_interval(secs => x.d / 1000), x.d, ceil(x.d + coalesce(x.init, 0))::int,
              x.mem, least(x.mem, 40 + (x.mem * 0.3 * (1 + x.u2))::int), x.init, x.init IS NOT NULL, CASE WHEN x.init IS NOT NULL THEN 'on-demand' END,
              x.status::"InvocationStatus",
              CASE WHEN x.status <> 'success' THEN (ARRAY['TypeError','ValidationError','DynamoDBError','Runtime.ExitError'])[1 + x.id % 4] END,
              CASE WHEN x.status <> 'success' THEN 'Cannot read properties of undefined (reading ''' || (ARRAY['id','items','user'])[1 + x.id % 3] || ''')' END,
              CASE WHEN x.id % 5 = 0 THEN '1-' || to_hex(extract(epoch FROM x.t)::int) || '-' || substr(md5(x.rid), 1, 24) END,
              2e-7 + (ceil(x.d + coalesce(x.init, 0)) / 1000.0) * (x.mem / 1024.0) * CASE WHEN x.arch = 'arm64' THEN 0.0000133334 ELSE 0.0000166667 END,
              true
         FROM (SELECT r.id, r.mem, r.arch, s.t, md5(s.g::text || '-api-bench')::uuid::text AS rid, s.u2,
                      CASE WHEN s.us < r.err_p + 0.002 AND s.us >= r.err_p THEN r.timeout_s * 1000.0
                           ELSE round((r.base_ms * exp(0.35 * sqrt(-2 * ln(greatest(s.u1, 1e-12))) * cos(2 * pi() * s.u2)))::numeric, 2)::float8 END AS d,
                      CASE WHEN s.uc < 0.03 THEN round((150 + 300 * s.u1)::numeric, 2)::float8 END AS init,
                      CASE WHEN s.us < r.err_p THEN 'error' WHEN s.us < r.err_p + 0.002 THEN 'timeout' WHEN s.us < r.err_p + 0.0025 THEN 'out_of_memory'
                           WHEN s.us < r.err_p + 0.0028 THEN 'crash' ELSE 'success' END AS status
                 FROM (SELECT g, to_timestamp(($1::bigint + random() * $2::bigint) / 1000.0) AS t, 1 + floor(power(random(), 1.6) * $3::int)::int AS k,
                              random() u1, random() u2, random() us, random() uc
                         FROM generate_series($4::bigint, $5::bigint) g) s
                 JOIN bench_api_res r ON r.k = s.k) x`,
      [start, end - start, opts.functions, g0, g0 + n - 1],
    );
    g0 += n;
  }
  // Some failed requests were retried by Lambda a minute later: the same request id, attempt 2.
  await q(
    "retries",
    `INSERT INTO invocations (day, resource_id, request_id, attempt, log_stream, started_at, ended_at, duration_ms, billed_duration_ms,
                              memory_size_mb, max_memory_used_mb, init_duration_ms, cold_start, status, error_type, error_message, trace_id, cost_usd, complete)
     SELECT ((started_at + interval '1 minute') AT TIME ZONE 'UTC')::date, resource_id, request_id, 2, log_stream, started_at + interval '1 minute',
            ended_at + interval '1 minute', duration_ms, billed_duration_ms, memory_size_mb, max_memory_used_mb, null, false,
            CASE WHEN random() < 0.5 THEN 'success' ELSE status END, error_type, error_message, trace_id, cost_usd, true
       FROM invocations WHERE status = 'error' AND attempt = 1 AND started_at < $1::timestamptz AND random() < 0.3
     ON CONFLICT DO NOTHING`,
    [new Date(to - 60_000)],
  );
}

const ROLLUP_COLUMNS = `resource_id, bucket_start, invocations, successes, errors, timeouts, out_of_memory, crashes, cold_starts, retries,
  hist_buckets, hist_counts, duration_sum_ms, billed_ms, gb_seconds, cost_usd, max_memory_used_mb, memory_size_mb`;

function rollupSql(table: string, unit: string): string {
  return `INSERT INTO ${table} (${ROLLUP_COLUMNS})
    SELECT resource_id, b, sum(n), sum(ok), sum(err), sum(tmo), sum(oom), sum(crash), sum(cold), sum(retry),
           array_agg(bucket::smallint ORDER BY bucket), array_agg(n::int ORDER BY bucket), sum(dsum), sum(billed), sum(gbs), sum(cost), max(maxmem), max(mem)
      FROM (SELECT resource_id, date_trunc('${unit}', started_at) b, ${BUCKET_SQL} AS bucket, count(*) n,
                   count(*) FILTER (WHERE status = 'success') ok, count(*) FILTER (WHERE status = 'error') err,
                   count(*) FILTER (WHERE status = 'timeout') tmo, count(*) FILTER (WHERE status = 'out_of_memory') oom,
                   count(*) FILTER (WHERE status = 'crash') crash, count(*) FILTER (WHERE cold_start) cold, count(*) FILTER (WHERE attempt > 1) retry,
                   sum(duration_ms) dsum, sum(billed_duration_ms) billed, sum(billed_duration_ms / 1000.0 * memory_size_mb / 1024.0) gbs,
                   sum(cost_usd) cost, max(max_memory_used_mb) maxmem, max(memory_size_mb) mem
              FROM invocations
             -- By the start time's day: a retry a minute after 23:59 starts on the next day but is kept in its first attempt's partition.
             WHERE day BETWEEN $1::date - 1 AND $1::date AND started_at >= $1::date AND started_at < $1::date + 1 AND complete GROUP BY 1, 2, 3) x
     GROUP BY 1, 2
     -- Live rollups are written as time passes, so a bucket's rows sit together on disk: insert them that way.
     ORDER BY 2, 1`;
}

async function seedRollups(q: Q, from: number, to: number): Promise<void> {
  for (let d = Math.floor(from / DAY_MS) * DAY_MS; d <= to; d += DAY_MS) {
    const day = new Date(d).toISOString().slice(0, 10);
    for (const [t, u] of [["rollup_minute", "minute"], ["rollup_hour", "hour"], ["rollup_day", "day"]]) await q(`${t} ${day}`, rollupSql(t, u), [day]);
  }
}

async function seedDetails(q: Q, to: number): Promise<void> {
  const since = new Date(to - DAY_MS);
  await q(
    "log events (last 24 h)",
    `INSERT INTO log_events (event_id, ts, resource_id, log_stream, request_id, level, message)
     SELECT md5(i.request_id || i.attempt || n), i.started_at + make_interval(secs => n * i.duration_ms / 3000), i.resource_id, i.log_stream, i.request_id,
            CASE WHEN n = 2 AND i.status <> 'success' THEN 'ERROR' WHEN n = 1 THEN 'INFO' ELSE NULL END,
            CASE n WHEN 0 THEN 'START RequestId: ' || i.request_id || ' Version: $LATEST'
                   WHEN 1 THEN CASE WHEN i.resource_id % 2 = 0 THEN '{"level":"INFO","msg":"handling order","orderId":' || (abs(hashtext(i.request_id)) % 100000) || ',"userId":' || (abs(hashtext(i.request_id)) % 977) || '}'
                                    ELSE i.started_at || E'\\t' || i.request_id || E'\\tINFO\\thandling order ' || (abs(hashtext(i.request_id)) % 100000) END
                   WHEN 2 THEN CASE WHEN i.status <> 'success' THEN i.started_at || E'\\t' || i.request_id || E'\\tERROR\\t' || i.error_type || ': ' || i.error_message
                                    ELSE 'END RequestId: ' || i.request_id END
                   ELSE 'REPORT RequestId: ' || i.request_id || E'\\tDuration: ' || i.duration_ms || ' ms' || E'\\tBilled Duration: ' || i.billed_duration_ms || ' ms'
                        || E'\\tMemory Size: ' || i.memory_size_mb || ' MB' || E'\\tMax Memory Used: ' || i.max_memory_used_mb || ' MB' END
       FROM invocations i CROSS JOIN generate_series(0, 3) n
      WHERE i.started_at >= $1 AND i.day >= ($1::timestamptz AT TIME ZONE 'UTC')::date
     ON CONFLICT DO NOTHING`,
    [since],
  );
  await q(
    "spans (last 24 h, traced)",
    `INSERT INTO spans (trace_id, span_id, start_time, parent_id, resource_id, request_id, name, origin, namespace, depth, start_offset_ms, duration_ms, end_time,
                        aws_operation, aws_resource, http_method, http_url, http_status, error, fault)
     SELECT i.trace_id, substr(md5(i.request_id || n), 1, 16), i.started_at + make_interval(secs => s.off / 1000),
            CASE WHEN n = 0 THEN NULL ELSE substr(md5(i.request_id || 0), 1, 16) END, i.resource_id, i.request_id,
            CASE n WHEN 0 THEN r.name WHEN 1 THEN 'DynamoDB' ELSE 'api.example.com' END,
            CASE n WHEN 0 THEN 'AWS::Lambda::Function' WHEN 1 THEN 'AWS::DynamoDB::Table' ELSE NULL END,
            CASE n WHEN 0 THEN NULL WHEN 1 THEN 'aws' ELSE 'remote' END, least(n, 1), s.off, s.dur, i.started_at + make_interval(secs => (s.off + s.dur) / 1000),
            CASE WHEN n = 1 THEN 'GetItem' END, CASE WHEN n = 1 THEN 'orders' END, CASE WHEN n = 2 THEN 'GET' END,
            CASE WHEN n = 2 THEN 'https://api.example.com/v1/items' END, CASE WHEN n = 2 THEN 200 END, n = 0 AND i.status <> 'success', false
       FROM invocations i JOIN resources r ON r.id = i.resource_id CROSS JOIN generate_series(0, 2) n
       CROSS JOIN LATERAL (SELECT CASE n WHEN 0 THEN 0 WHEN 1 THEN i.duration_ms * 0.1 ELSE i.duration_ms * 0.5 END AS off,
                                  CASE n WHEN 0 THEN i.duration_ms ELSE i.duration_ms * 0.3 END AS dur) s
      WHERE i.trace_id IS NOT NULL AND i.started_at >= $1 AND i.day >= ($1::timestamptz AT TIME ZONE 'UTC')::date
     ON CONFLICT DO NOTHING`,
    [since],
  );
  await q(
    "metric points (hourly throttles and concurrency)",
    `INSERT INTO metric_points (resource_id, namespace, metric, stat, period_s, ts, value)
     SELECT r.id, 'AWS/Lambda', m.metric, m.stat, 3600, h.ts,
            CASE WHEN m.metric = 'Throttles' THEN CASE WHEN random() < 0.02 THEN floor(random() * 20) ELSE 0 END ELSE floor(random() * 10 * (1 + r.id % 3)) END
       FROM resources r
      CROSS JOIN (VALUES ('Throttles', 'Sum'), ('ConcurrentExecutions', 'Maximum')) m(metric, stat)
      CROSS JOIN generate_series(date_trunc('hour', $1::timestamptz) - interval '30 days', $1::timestamptz, interval '1 hour') h(ts)
     ON CONFLICT DO NOTHING`,
    [new Date(to)],
  );
}

async function seedErrorsAndHealth(q: Q, to: number): Promise<void> {
  await q(
    "error groups",
    `INSERT INTO error_groups (fingerprint, error_type, message, sample_message, count, first_seen_at, last_seen_at, state, resource_ids, top_frame)
     SELECT md5(error_type || error_message || (resource_id % 50)), error_type, error_message, error_message, count(*), min(started_at), max(started_at),
            (ARRAY['new','ongoing','regressed','resolved','ignored'])[1 + abs(hashtext(error_type || (resource_id % 50))) % 5]::"ErrorGroupState",
            array_agg(DISTINCT resource_id), 'at handler (/var/task/index.js:' || (resource_id % 50) || ':7)'
       FROM invocations WHERE status = 'error' AND started_at >= $1
      GROUP BY error_type, error_message, resource_id % 50`,
    [new Date(to - 7 * DAY_MS)],
  );
  await q(
    "error occurrences (7 days)",
    `INSERT INTO error_occurrences (event_id, group_id, resource_id, request_id, ts, error_message, error_type, log_stream)
     SELECT md5(i.request_id || i.attempt || 'err'), g.id, i.resource_id, i.request_id, i.started_at, i.error_message, i.error_type, i.log_stream
       FROM invocations i JOIN error_groups g ON g.fingerprint = md5(i.error_type || i.error_message || (i.resource_id % 50))
      WHERE i.status = 'error' AND i.started_at >= $1
     ON CONFLICT DO NOTHING`,
    [new Date(to - 7 * DAY_MS)],
  );
  await q(
    "ingest runs",
    `INSERT INTO ingest_runs (job, account_id, region, status, error, counts, started_at, finished_at)
     SELECT j, a.id, rg, CASE WHEN random() < 0.01 THEN 'failed' ELSE 'ok' END::"RunStatus", NULL, '{}', t, t + interval '5 seconds'
       FROM accounts a CROSS JOIN unnest(a.regions) rg CROSS JOIN unnest(ARRAY['logs','metrics','discover','traces']) j
      CROSS JOIN generate_series($1::timestamptz - interval '1 day', $1::timestamptz, interval '5 minutes') t`,
    [new Date(to)],
  );
  await q("failed run messages", "UPDATE ingest_runs SET error = 'ThrottlingException: Rate exceeded' WHERE status = 'failed'");
  await q(
    "ingest cursors",
    `INSERT INTO ingest_cursors (job, account_id, region, key, position, updated_at)
     SELECT 'logs', r.account_id, r.region, r.config->>'logGroup', $1::bigint, to_timestamp($1::bigint / 1000.0) FROM resources r`,
    [to],
  );
}
