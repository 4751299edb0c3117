import { env } from "../env";
import { parseActionList } from "./call-policy";
import { parseFaultSpec } from "./faults";
import { parseQuotasSwitch } from "./quotas";
import { startSandbox, type SandboxOptions } from "./index";

const USAGE = "usage: osprey sandbox [--port 4566] [--host 127.0.0.1] [--backfill 7d] [--seed N] [--scale-functions N] [--active-share 0.1] [--rate X] [--quotas on|off] [--ingestion-delay-ms N] [--external-id ID] [--deny lambda:ListTags,...] [--html404 lambda:ListProvisionedConcurrencyConfigs,...] [--poison-rate 0.01]\n       [--faults throttle=0.3,5xx=0.1,reset=0.05,cut=0.05,slow=200,seed=42]   (default: OSPREY_SANDBOX_FAULTS)\n       osprey sandbox drill --function NAME --kind timeout|error|throttle [--minutes 5]   (a fire drill on the running sandbox)";

/** Parses "90s", "15m", "6h", "7d" or plain milliseconds. */
export function parseDuration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(s.trim());
  if (!m) throw new Error(`invalid duration: ${s}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? "ms") as "ms"];
  return Number(m[1]) * unit;
}

const withFaults = (opts: SandboxOptions, spec: string): SandboxOptions => {
  const { faults, seed } = parseFaultSpec(spec);
  return { ...opts, faults, ...(seed === undefined ? {} : { faultSeed: seed }) };
};

/**
 * `faultsFromEnv` is OSPREY_SANDBOX_FAULTS: what `--faults` says when it is not given; `quotasFromEnv`
 * (OSPREY_SANDBOX_QUOTAS) likewise for `--quotas`, which is on unless either says off.
 */
export function parseSandboxArgs(argv: string[], faultsFromEnv?: string, quotasFromEnv?: string): SandboxOptions {
  let opts: SandboxOptions = faultsFromEnv ? withFaults({}, faultsFromEnv) : {};
  opts.quotas = quotasFromEnv ? parseQuotasSwitch(quotasFromEnv) : true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    const int = (v: string) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new Error(`${flag}: not a number: ${v}`);
      return n;
    };
    switch (flag) {
      case "--port": opts.port = int(value()); break;
      case "--host": opts.host = value(); break;
      case "--backfill": opts.backfillMs = parseDuration(value()); break;
      case "--seed": opts.seed = int(value()); break;
      case "--scale-functions": opts.scale = { ...opts.scale, functions: int(value()) }; break;
      case "--active-share": {
        const share = int(value());
        if (share > 1) throw new Error(`--active-share: a share between 0 and 1, not ${share}`);
        opts.scale = { ...opts.scale, activeShare: share };
        break;
      }
      case "--quotas": opts.quotas = parseQuotasSwitch(value()); break;
      case "--ingestion-delay-ms": opts.ingestionDelayMs = int(value()); break;
      case "--rate": opts.scale = { ...opts.scale, rate: int(value()) }; break;
      case "--external-id": opts.externalId = value(); break;
      case "--poison-rate": opts.poisonRate = Math.min(1, int(value())); break;
      case "--faults": opts = withFaults(opts, value()); break;
      case "--deny": opts.calls = { ...opts.calls, deny: [...(opts.calls?.deny ?? []), ...parseActionList(value())] }; break;
      case "--html404": opts.calls = { ...opts.calls, html404: [...(opts.calls?.html404 ?? []), ...parseActionList(value())] }; break;
      default: throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  return opts;
}

/** Starts the sandbox and keeps it running until SIGINT or SIGTERM. Returns the exit code. */
export async function runSandboxCli(argv: string[]): Promise<number> {
  if (argv[0] === "drill") return (await import("../cli/sandbox-drill")).sandboxDrillCommand(argv.slice(1));
  let opts: SandboxOptions;
  try {
    opts = parseSandboxArgs(argv, env().OSPREY_SANDBOX_FAULTS, env().OSPREY_SANDBOX_QUOTAS);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const e = env();
  opts.calls = {
    deny: [...parseActionList(e.OSPREY_SANDBOX_DENY), ...(opts.calls?.deny ?? [])],
    html404: [...parseActionList(e.OSPREY_SANDBOX_HTML404), ...(opts.calls?.html404 ?? [])],
  };
  // As a real account with a scoped policy: the review page then shows all three states of a check.
  const sandbox = await startSandbox({ scopedGrants: true, ...opts });
  console.log(`Osprey sandbox listening on ${sandbox.url} (account ${sandbox.workload.accountId}, regions us-east-1 eu-west-1, seed ${sandbox.workload.seed})`);
  if (opts.faults?.["*"]) console.log(`Injecting faults into every call: ${JSON.stringify(opts.faults["*"])}${opts.faultSeed === undefined ? "" : ` (seed ${opts.faultSeed})`}`);
  console.log(opts.quotas ? "Enforcing AWS's request quotas per account and region (FilterLogEvents 5/s, GetMetricData 50/s, ...; --quotas off to lift them)" : "AWS's request quotas are not enforced");
  console.log(`Point the AWS SDK at it: AWS_ENDPOINT_URL=${sandbox.url} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test`);
  const refused = [...opts.calls.deny!.map((a) => `${a} denied`), ...opts.calls.html404!.map((a) => `${a} answers HTML 404`)];
  if (refused.length) console.log(`Refusing calls: ${refused.join(", ")}`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    // Started by `osprey start` (with an IPC channel): gone with it, even when it was killed.
    process.once("disconnect", stop);
  });
  await closeWithin(sandbox, CLOSE_GRACE_MS);
  // The IPC channel from `osprey start` keeps the event loop alive after the server closed: let go of it.
  if (process.connected) process.disconnect();
  return 0;
}

const CLOSE_GRACE_MS = 1_000;

/** Closes the server, but gives up waiting after `ms` (a client that never finishes its request). */
export async function closeWithin(sandbox: { close(): Promise<void> }, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([sandbox.close().catch(() => {}), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
