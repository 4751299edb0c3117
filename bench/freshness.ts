// `npm run bench:freshness`: how fresh data is by pull at 1,000 functions, 10 % invoked, AWS's quotas
// enforced (bench/pull-freshness.ts says how it is measured).
// Options: --functions 1000 --active 0.1 --minutes 8 --warmup 2
// `--mode push`: push freshness instead (Firehose deliveries; bench/freshness-push.ts has its options).
import { measurePullFreshness } from "./pull-freshness";
import { appendBenchmarks } from "./report";

const modeAt = process.argv.indexOf("--mode");
if (modeAt > 0 && process.argv[modeAt + 1] === "push") {
  const { pushFreshness } = await import("./freshness-push");
  process.exit(await pushFreshness());
}

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const FUNCTIONS = arg("functions", 1000);
const ACTIVE = arg("active", 0.1);

const r = await measurePullFreshness({ functions: FUNCTIONS, active: ACTIVE, minutes: arg("minutes", 8), warmupMinutes: arg("warmup", 2), database: "osprey_bench_freshness" });
appendBenchmarks(`bench:freshness (pull, ${FUNCTIONS} functions, ${Math.round(ACTIVE * 100)} % active, quotas on)`, `${r.body}\n\nTarget p95 under 60 s: ${r.p95 < 60 ? "met" : "not met"} (${r.p95.toFixed(1)} s).`);
