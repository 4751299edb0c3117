import { ConfigError, env } from "../env";

type Command = (args: string[]) => Promise<number>;

// Commands load lazily so `osprey parse-logs` does not pay for Next or the job queue.
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  start: { summary: "run Osprey: database, migrations, web UI, workers (and the sandbox when no AWS account is connected)", load: async () => (await import("./start")).startCommand },
  workers: { summary: "run the background job workers", load: async () => (await import("../../workers/index")).workersCommand },
  sandbox: { summary: "run the sandbox: a local AWS endpoint serving a simulated workload (--port 4566 --backfill 7d --seed N)", load: async () => (await import("../sandbox/cli")).runSandboxCli },
  accounts: { summary: "connect AWS accounts: add, list, remove", load: async () => (await import("./accounts")).accountsCommand },
  ingest: { summary: "one full ingestion pass over every account, then exit (--once)", load: async () => (await import("./ingest-once")).ingestCommand },
  "parse-logs": { summary: "print what Osprey makes of FilterLogEvents events (JSON lines files)", load: async () => (await import("./parse-logs")).parseLogsCommand },
  invocations: { summary: "print stored invocations (--function NAME --account ID --since 2h --json)", load: async () => (await import("./invocations")).invocationsCommand },
  build: { summary: "build the web app for production", load: async () => (await import("./build")).buildCommand },
  migrate: { summary: "apply database migrations", load: async () => (await import("./migrate")).migrateCommand },
  "iam-policy": { summary: "print the read-only IAM policy Osprey needs on a monitored account", load: async () => (await import("./iam-policy")).iamPolicyCommand },
  alerts: { summary: "alert policies: list (with open incidents), add, remove", load: async () => (await import("./alerts")).alertsCommand },
  secrets: { summary: "secrets at rest: status (where the key comes from, values per key id), rotate-key", load: async () => (await import("./secrets")).secretsCommand },
  users: { summary: "who may sign in: list, add, remove, reset-password, set-role", load: async () => (await import("./users")).usersCommand },
  tokens: { summary: "API tokens: create (printed once), list, revoke", load: async () => (await import("./tokens")).tokensCommand },
  api: { summary: "call a running Osprey's /api/v1 with an API token and print the JSON (METHOD PATH --url --token, or OSPREY_URL/OSPREY_TOKEN)", load: async () => (await import("./api")).apiCommand },
  "push-setup": { summary: "send an account's Lambda logs by push: Firehose stream, roles, subscription filters (dry run; --cloudformation, --apply)", load: async () => (await import("./push-setup")).pushSetupCommand },
  channels: { summary: "notification channels (Slack, e-mail, webhook, PagerDuty, SNS): add, list, update, test, enable, disable, remove", load: async () => (await import("./channels")).channelsCommand },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`);
  return `usage: osprey <command> [options]\n\ncommands:\n${lines.join("\n")}\n`;
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(usage());
    return name ? 0 : 1;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`osprey: unknown command "${name}"\n${usage()}`);
    return 1;
  }
  try {
    env();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`osprey: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  try {
    return await (await command.load())(args);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`osprey: ${err.message}\n`);
      return 2;
    }
    if (err instanceof CliError) {
      process.stderr.write(`osprey ${name}: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}

/** An expected failure: printed as one line, no stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
