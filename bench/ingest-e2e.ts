// The end-to-end half of bench:ingest, in a process of its own so its memory is a worker's:
// chunks of the corpus parsed and committed as the pull worker does, one transaction each.
import pg from "pg";
import { advanceCursor } from "@/lib/db/cursors";
import { writeLambdaBatch } from "@/lib/db/lambda-writer";
import { parseLambdaLogEvents } from "@/lib/ingest/lambda-logs";
import { EVENTS_PER_COMMIT } from "@/workers/ingest/logs";
import { corpusChunks } from "./corpus";

const [url, events, resourceId, accountId] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5])];
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
const pool = new pg.Pool({ connectionString: url, max: 1 });
const client = await pool.connect();
const target = { resourceId, region: "us-east-1", architecture: "x86_64" as const };
let total = 0;
// Only parsing and committing is timed: making up the corpus (and decoding it, the SDK's work) is not ingest.
let ms = 0;
for (const chunk of corpusChunks(events, EVENTS_PER_COMMIT)) {
  const started = performance.now();
  const parsed = parseLambdaLogEvents(chunk, { functionName: "orders-api" });
  await client.query("BEGIN");
  await writeLambdaBatch(client, target, parsed);
  await advanceCursor(client, { job: "logs", accountId, region: "us-east-1", key: "/aws/lambda/orders-api" }, chunk[chunk.length - 1].timestamp);
  await client.query("COMMIT");
  ms += performance.now() - started;
  total += chunk.length;
}
clearInterval(sampler);
client.release();
await pool.end();
process.stdout.write(JSON.stringify({ events: total, ms, peakRssMB: Math.round(Math.max(peakRss, process.memoryUsage.rss()) / 2 ** 20) }) + "\n");
