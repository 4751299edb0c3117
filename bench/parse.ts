// Parse rate of the Lambda log parser on a generated corpus: `npx tsx bench/parse.ts [events]`.
import { parseLambdaLogEvents } from "@/lib/ingest/lambda-logs";
import { generateCorpus } from "./corpus";

const TARGET_EVENTS = Number(process.argv[2] ?? 1_000_000);
const RUNS = 5;

/** A fixed amount of plain arithmetic: tells a slow or busy machine from a slow parser. */
function referenceLoopMs(): number {
  const started = performance.now();
  let x = 0;
  for (let i = 0; i < 100_000_000; i++) x += i ^ (x >>> 3);
  if (x === 0.5) console.log(x);
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const corpus = generateCorpus(TARGET_EVENTS);
// Warm-up on a slice, then the whole corpus.
parseLambdaLogEvents(corpus.slice(0, 200_000));
parseLambdaLogEvents(corpus);
const times: number[] = [];
const cpuTimes: number[] = [];
let invocations = 0;
for (let run = 0; run < RUNS; run++) {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = parseLambdaLogEvents(corpus);
  times.push(performance.now() - started);
  const cpu = process.cpuUsage(cpuBefore);
  cpuTimes.push((cpu.user + cpu.system) / 1000);
  invocations = result.invocations.length;
}
const medianMs = median(times);
const medianCpuMs = median(cpuTimes);
console.log(
  JSON.stringify({
    events: corpus.length,
    invocations,
    runsMs: times.map((t) => Math.round(t)),
    medianMs: Math.round(medianMs),
    eventsPerSec: Math.round(corpus.length / (medianMs / 1000)),
    // CPU time includes the garbage collector's helper threads; on a shared machine it is steadier than wall time.
    medianCpuMs: Math.round(medianCpuMs),
    referenceLoopMs: Math.round(referenceLoopMs()),
  }),
);
