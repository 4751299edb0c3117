// `npm run bench:sandbox`: the sandbox's memory over an hour of real-time generation while a client
// polls it the way Osprey's workers do (logs every minute, metrics and traces). Run it in a process of
// its own; `--minutes N` shortens the run, `--accelerated` runs an hour of sandbox time as fast as it can.
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { GetTraceSummariesCommand, XRayClient } from "@aws-sdk/client-xray";
import { startSandbox, SANDBOX_REGIONS } from "@/lib/sandbox";
import { appendBenchmarks } from "./report";

const args = process.argv.slice(2);
const minutes = Number(args[args.indexOf("--minutes") + 1] || 60) || 60;
const accelerated = args.includes("--accelerated");
const MINUTE = 60_000;

let simulated = Date.now();
const sandbox = await startSandbox({ port: 0, seed: 1, backfillMs: 24 * 60 * MINUTE, now: accelerated ? () => simulated : Date.now });
const credentials = { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "example" };
const clients = SANDBOX_REGIONS.map((region) => ({
  region,
  logs: new CloudWatchLogsClient({ region, endpoint: sandbox.url, credentials }),
  cw: new CloudWatchClient({ region, endpoint: sandbox.url, credentials }),
  xray: new XRayClient({ region, endpoint: sandbox.url, credentials }),
}));
const now = () => (accelerated ? simulated : Date.now());

async function pollOnce(): Promise<number> {
  let events = 0;
  for (const c of clients) {
    for (const { logGroupName, spec } of sandbox.workload.listFunctions(c.region).map((f) => ({ logGroupName: f.logGroupName, spec: f.spec }))) {
      let nextToken: string | undefined;
      do {
        const page = await c.logs.send(new FilterLogEventsCommand({ logGroupName, startTime: now() - 10 * MINUTE, endTime: now(), nextToken }));
        events += page.events?.length ?? 0;
        nextToken = page.nextToken;
      } while (nextToken);
      await c.cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(now() - 15 * MINUTE),
          EndTime: new Date(now()),
          MetricDataQueries: [{ Id: "q", MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: "Duration", Dimensions: [{ Name: "FunctionName", Value: spec.name }] }, Period: 60, Stat: "p99" } }],
        }),
      );
    }
    await c.xray.send(new GetTraceSummariesCommand({ StartTime: new Date(now() - 5 * MINUTE), EndTime: new Date(now()) }));
  }
  return events;
}

const samples: { minute: number; rssMB: number; heapMB: number }[] = [];
let events = 0;
for (let m = 0; m <= minutes; m++) {
  events += await pollOnce();
  global.gc?.();
  const mem = process.memoryUsage();
  samples.push({ minute: m, rssMB: Math.round(mem.rss / 2 ** 20), heapMB: Math.round(mem.heapUsed / 2 ** 20) });
  if (m % 5 === 0) console.error(`minute ${m}: rss ${samples.at(-1)!.rssMB} MB, heap ${samples.at(-1)!.heapMB} MB, ${events} events read`);
  if (accelerated) simulated += MINUTE;
  else if (m < minutes) await new Promise((r) => setTimeout(r, MINUTE));
}
await sandbox.close();

// The first minutes fill the sandbox's bounded caches; flat means no growth after that.
const warm = samples.filter((s) => s.minute >= Math.min(10, minutes / 2));
const first = warm[0];
const last = warm[warm.length - 1];
const peak = Math.max(...warm.map((s) => s.rssMB));
const result = { minutes, accelerated, eventsRead: events, rssAfterWarmupMB: first.rssMB, rssEndMB: last.rssMB, rssPeakMB: peak, heapAfterWarmupMB: first.heapMB, heapEndMB: last.heapMB };
console.log(JSON.stringify(result, null, 2));
appendBenchmarks(
  "bench:sandbox (memory)",
  `The sandbox (seed 1, 24 h backfill) for ${minutes} minutes of ${accelerated ? "sandbox time, run as fast as possible" : "real time"}, polled every minute like the workers poll: FilterLogEvents over the last 10 minutes of every log group, GetMetricData, GetTraceSummaries; ${events.toLocaleString("en")} log events served. Process memory after the caches fill (minute ${first.minute}) and at the end:

| measure | after warm-up | end | peak |
|---|---|---|---|
| RSS | ${first.rssMB} MB | ${last.rssMB} MB | ${peak} MB |
| JS heap used | ${first.heapMB} MB | ${last.heapMB} MB | |`,
);
