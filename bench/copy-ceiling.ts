// The Postgres COPY ceiling for rows already ingested, shared by `bench:ingest` and `bench:scale`: the
// stored log-event and invocation rows are copied out, the tables emptied, and the same rows copied
// straight back into the same tables and indexes. What no ingest path on this server can beat.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";

export async function copyOut(client: pg.PoolClient, sql: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  const stream = client.query(copyTo(sql));
  for await (const b of stream) parts.push(b as Buffer);
  return Buffer.concat(parts);
}

export async function copyIn(client: pg.PoolClient, sql: string, data: Buffer): Promise<void> {
  await pipeline(Readable.from([data]), client.query(copyFrom(sql)));
}

/** Re-copies every stored log event and invocation; `ms` is the time the two COPYs took. */
export async function measureCopyCeiling(client: pg.PoolClient): Promise<{ ms: number; logEvents: Buffer; invocations: Buffer }> {
  const logEvents = await copyOut(client, "COPY (SELECT * FROM log_events) TO STDOUT");
  const invocations = await copyOut(client, "COPY (SELECT * FROM invocations) TO STDOUT");
  await client.query("TRUNCATE log_events, invocations");
  await client.query("VACUUM ANALYZE log_events");
  const start = performance.now();
  await copyIn(client, "COPY log_events FROM STDIN", logEvents);
  await copyIn(client, "COPY invocations FROM STDIN", invocations);
  return { ms: performance.now() - start, logEvents, invocations };
}
