import { ChannelInput, ChannelPatch } from "../api/schemas/channels";
import { createChannel, deleteChannel, listChannels, updateChannel } from "../db/notifications/channels";
import { CLI_ACTOR } from "../db/audit";
import { closeDb, pool } from "../db/prisma";
import { sendChannelTest } from "../notify/channel-test";
import { parseCliArgs } from "./args";
import { CliError } from "./main";

const USAGE = `usage:
  osprey channels list [--json]
  osprey channels add --name NAME --kind slack --webhook-url URL
  osprey channels add --name NAME --kind email --host H [--port 587] [--tls starttls|tls|none] [--username U --password P] --from ADDR --to A,B
  osprey channels add --name NAME --kind webhook --url URL --signing-secret S
  osprey channels add --name NAME --kind pagerduty --routing-key KEY [--events-url URL]
  osprey channels add --name NAME --kind sns --topic-arn ARN [--account ID]
     (any kind: [--rate-limit N] messages a minute; a secret given as "-" is read from standard input)
  osprey channels update ID [the same options; a secret left out keeps its value]
  osprey channels test ID
  osprey channels enable ID | disable ID
  osprey channels remove ID`;

const OPTIONS = {
  name: { type: "string" },
  kind: { type: "string" },
  "webhook-url": { type: "string" },
  url: { type: "string" },
  "signing-secret": { type: "string" },
  "routing-key": { type: "string" },
  "events-url": { type: "string" },
  host: { type: "string" },
  port: { type: "string" },
  tls: { type: "string" },
  username: { type: "string" },
  password: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  "topic-arn": { type: "string" },
  account: { type: "string" },
  "rate-limit": { type: "string" },
} as const;

export async function channelsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  try {
    if (sub === "list") return await list(rest);
    if (sub === "add") return await add(rest);
    if (sub === "update") return await update(rest);
    if (sub === "test") return await test(rest);
    if (sub === "enable" || sub === "disable") return await setEnabled(rest, sub === "enable");
    if (sub === "remove") return await remove(rest);
    throw new CliError(USAGE, 2);
  } finally {
    await closeDb();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8").trim();
}

async function fields(values: Record<string, string | boolean | undefined>): Promise<Record<string, unknown>> {
  const secret = async (v: string | boolean | undefined) => (v === "-" ? readStdin() : v);
  const out: Record<string, unknown> = {
    name: values.name,
    kind: values.kind,
    webhookUrl: await secret(values["webhook-url"]),
    url: values.url,
    signingSecret: await secret(values["signing-secret"]),
    routingKey: await secret(values["routing-key"]),
    eventsUrl: values["events-url"],
    host: values.host,
    port: values.port,
    tls: values.tls,
    username: values.username,
    password: await secret(values.password),
    from: values.from,
    to: typeof values.to === "string" ? values.to.split(",").map((s) => s.trim()).filter(Boolean) : undefined,
    topicArn: values["topic-arn"],
    accountId: values.account,
    rateLimitPerMinute: values["rate-limit"],
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

function firstIssue(error: { issues: { path: PropertyKey[]; message: string }[] }): CliError {
  const i = error.issues[0];
  return new CliError(`${i.path.map(String).join(".") || "input"}: ${i.message}`, 2);
}

function idArg(positionals: string[], usage: string): number {
  const id = Number(positionals[0]);
  if (!Number.isInteger(id) || id <= 0) throw new CliError(usage, 2);
  return id;
}

async function add(args: string[]): Promise<number> {
  const { values } = parseCliArgs(args, OPTIONS);
  const parsed = ChannelInput.safeParse(await fields(values));
  if (!parsed.success) throw firstIssue(parsed.error);
  const c = await createChannel(parsed.data, CLI_ACTOR).catch((err) => {
    if ((err as { code?: string }).code === "23505") throw new CliError(`a channel named "${parsed.data.name}" already exists`);
    throw err;
  });
  process.stdout.write(`added channel ${c.id} "${c.name}" (${c.kind}: ${c.target})\n`);
  return 0;
}

async function update(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, OPTIONS, true);
  const id = idArg(positionals, "usage: osprey channels update ID [options]");
  const parsed = ChannelPatch.safeParse(await fields(values));
  if (!parsed.success) throw firstIssue(parsed.error);
  const c = await updateChannel(id, parsed.data, CLI_ACTOR).catch(rethrowAsCli);
  process.stdout.write(`updated channel ${c.id} "${c.name}" (${c.kind}: ${c.target})\n`);
  return 0;
}

function rethrowAsCli(err: unknown): never {
  const e = err as { status?: number; message?: string; issues?: { path: PropertyKey[]; message: string }[] };
  if (e.issues) throw firstIssue({ issues: e.issues });
  if (e.status === 404 || e.status === 400) throw new CliError(e.message ?? "invalid");
  throw err;
}

async function list(args: string[]): Promise<number> {
  const { values } = parseCliArgs(args, { json: { type: "boolean" } });
  const channels = await listChannels();
  if (values.json) {
    process.stdout.write(JSON.stringify(channels, null, 2) + "\n");
    return 0;
  }
  if (!channels.length) process.stdout.write("no channels: add one with `osprey channels add`\n");
  for (const c of channels) {
    const d = c.delivery;
    const last = d.lastAt ? `last ${d.lastStatus} ${d.lastAt}` : "nothing sent yet";
    process.stdout.write(`${String(c.id).padStart(4)}  ${c.name}  ${c.kind}${c.enabled ? "" : " (disabled)"}  ${c.target}  ${last}; ${d.pending} waiting, ${d.failed} failed\n`);
  }
  return 0;
}

async function test(args: string[]): Promise<number> {
  const { positionals } = parseCliArgs(args, {}, true);
  const id = idArg(positionals, "usage: osprey channels test ID");
  const r = await sendChannelTest(pool(), id, CLI_ACTOR).catch(rethrowAsCli);
  if (r.ok) {
    process.stdout.write(`test notification delivered (${r.info}, ${r.ms} ms)\n`);
    return 0;
  }
  throw new CliError(`test notification not delivered: ${r.error ?? r.status}`);
}

async function setEnabled(args: string[], enabled: boolean): Promise<number> {
  const { positionals } = parseCliArgs(args, {}, true);
  const id = idArg(positionals, `usage: osprey channels ${enabled ? "enable" : "disable"} ID`);
  const c = await updateChannel(id, { enabled }, CLI_ACTOR).catch(rethrowAsCli);
  process.stdout.write(`channel ${c.id} "${c.name}" ${enabled ? "enabled" : "disabled"}\n`);
  return 0;
}

async function remove(args: string[]): Promise<number> {
  const { positionals } = parseCliArgs(args, {}, true);
  const id = idArg(positionals, "usage: osprey channels remove ID");
  await deleteChannel(id, CLI_ACTOR).catch(rethrowAsCli);
  process.stdout.write(`removed channel ${id} and its notifications\n`);
  return 0;
}
