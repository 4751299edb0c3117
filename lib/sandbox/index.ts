import type { AddressInfo } from "node:net";
import { CallPolicy } from "./call-policy";
import { FaultInjector, type FaultConfig } from "./faults";
import { QuotaBuckets } from "./quotas";
import { RoleRegistry } from "./roles";
import { createSandboxServer, type SandboxCall } from "./server";
import { SnsStore } from "./services/sns";
import { DEFAULT_INSIGHTS_TIMING, type InsightsTiming } from "./services/logs-insights";
import { Workload } from "./workload";
import { ACCOUNT_ID, REGIONS } from "./workload/catalog";
import { demoTopics } from "./workload/coverage";

export type { FaultConfig, FaultRule, FaultSpec } from "./faults";
export { parseFaultSpec } from "./faults";
export { QuotaBuckets, SANDBOX_QUOTAS } from "./quotas";
export type { SandboxCall } from "./server";
export { Workload } from "./workload";
export type { FunctionInfo, Invocation, LogEvent, Status, Trace } from "./workload";
export type { SnsPublished, SnsStore, SnsTopic } from "./services/sns";

export const SANDBOX_ACCOUNT_ID = ACCOUNT_ID;
export const SANDBOX_REGIONS = [...REGIONS];
export const SANDBOX_SNS_TOPIC = "osprey-alerts";

export interface SandboxOptions {
  /** default 4566; 0 picks a free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** default 1 */
  seed?: number;
  /** history before start, default 1 day */
  backfillMs?: number;
  /** `functions` extra simulated functions, of which `activeShare` (0-1, default 1) are invoked */
  scale?: { functions?: number; rate?: number; activeShare?: number };
  /**
   * AWS's request-rate quotas per account and region (lib/sandbox/quotas.ts). Default off here, so
   * tests that fire bursts of calls at the endpoint stay fast; `osprey sandbox` turns them on.
   */
  quotas?: boolean;
  /** every log event becomes visible to FilterLogEvents this long after its timestamp (default: 1-20 s, now and then minutes) */
  ingestionDelayMs?: number;
  faults?: FaultConfig;
  /** seeds the fault sequence; default the workload's seed */
  faultSeed?: number;
  /** clock, default Date.now */
  now?: () => number;
  /** AssumeRole must carry this ExternalId when set */
  externalId?: string;
  /** share (0-1) of application log lines carrying a NUL byte and an unpaired surrogate */
  poisonRate?: number;
  /** IAM actions answered with AccessDenied (`deny`) or an HTML 404 (`html404`), e.g. "lambda:ListTags" */
  calls?: Partial<CallPolicy>;
  /**
   * Refuse the calls the catalog marks as left out of a scoped IAM policy (DescribeContinuousBackups on one
   * table), so the Well-Architected review shows a check it could not run. `osprey sandbox` turns it on.
   */
  scopedGrants?: boolean;
  /** how long a Logs Insights query runs: at least `minRunMs`, plus its bytes scanned at `bytesPerSecond` (default 1 s, 100 MB/s) */
  insights?: Partial<InsightsTiming>;
  /** told of every call the sandbox answers (after its quotas let it through), for tests that count reads */
  onCall?: (call: SandboxCall) => void;
}

export interface Sandbox {
  url: string;
  port: number;
  close(): Promise<void>;
  setFaults(f: FaultConfig): void;
  /** Turns AWS's quotas on or off; while on, `quotas` counts the calls refused. */
  setQuotas(on: boolean): void;
  quotas: QuotaBuckets | undefined;
  /** Replaces the denied and HTML-404 actions. */
  setCallPolicy(p: Partial<CallPolicy>): void;
  workload: Workload;
  /** SNS topics and what was published to them */
  sns: SnsStore;
  /** IAM roles deployed from CloudFormation templates (as POST /_sandbox/stacks does) */
  roles: RoleRegistry;
}

const DAY = 86_400_000;

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const now = opts.now ?? Date.now;
  const seed = opts.seed ?? 1;
  const workload = new Workload({ seed, now, historyStart: now() - (opts.backfillMs ?? DAY), scale: opts.scale, poisonRate: opts.poisonRate, ingestionDelayMs: opts.ingestionDelayMs });
  let quotas = opts.quotas ? new QuotaBuckets() : undefined;
  const faults = new FaultInjector(opts.faultSeed ?? seed, opts.faults);
  const host = opts.host ?? "127.0.0.1";
  let url = "";
  const sns = new SnsStore(now);
  // A topic to point an SNS channel at in the demo.
  for (const region of REGIONS) sns.createTopic(region, SANDBOX_SNS_TOPIC, {});
  // The demo account's application topics, with the subscriptions and metrics of lib/sandbox/workload/coverage.ts.
  for (const t of demoTopics()) sns.createTopic(t.region, t.name, {});
  let calls = CallPolicy.parse(opts.calls ?? {});
  const insights: InsightsTiming = { ...DEFAULT_INSIGHTS_TIMING, ...opts.insights };
  const roles = new RoleRegistry(ACCOUNT_ID);
  const server = createSandboxServer(() => ({ workload, sns, url, externalId: opts.externalId, roles, scopedGrants: opts.scopedGrants, insights }), faults, () => calls, () => quotas, opts.onCall);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 4566, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    url,
    port,
    workload,
    sns,
    roles,
    setFaults: (f) => faults.set(f),
    get quotas() {
      return quotas;
    },
    setQuotas: (on) => {
      quotas = on ? (quotas ?? new QuotaBuckets()) : undefined;
    },
    setCallPolicy: (p) => {
      calls = CallPolicy.parse(p);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
