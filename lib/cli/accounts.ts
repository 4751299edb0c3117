import { createAccount, deleteAccount, listAccounts } from "../db/accounts";
import { CLI_ACTOR } from "../db/audit";
import { closeDb } from "../db/prisma";
import { AccountInput } from "../api/schemas/accounts";
import { parseCliArgs } from "./args";
import { CliError } from "./main";

const USAGE = `usage:
  osprey accounts add --name NAME --regions us-east-1,eu-west-1 [--account-id 123456789012] [--profile P | --role-arn ARN --external-id ID]
  osprey accounts list [--json]
  osprey accounts remove ID`;

export async function accountsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  try {
    if (sub === "add") return await add(rest);
    if (sub === "list") return await list(rest);
    if (sub === "remove") return await remove(rest);
    throw new CliError(USAGE, 2);
  } finally {
    await closeDb();
  }
}

async function add(args: string[]): Promise<number> {
  const { values } = parseCliArgs(args, {
    name: { type: "string" },
    regions: { type: "string" },
    "account-id": { type: "string" },
    profile: { type: "string" },
    "role-arn": { type: "string" },
    "external-id": { type: "string" },
  });
  if (values.profile && values["role-arn"]) throw new CliError("give either --profile or --role-arn, not both", 2);
  const parsed = AccountInput.safeParse({
    name: values.name,
    regions: (values.regions ?? "").split(",").map((r) => r.trim()).filter(Boolean),
    awsAccountId: values["account-id"] ?? null,
    credentialMethod: values["role-arn"] ? "assume_role" : values.profile ? "profile" : "default_chain",
    profile: values.profile ?? null,
    roleArn: values["role-arn"] ?? null,
    externalId: values["external-id"] ?? null,
  });
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new CliError(`${i.path.join(".") || "input"}: ${i.message}`, 2);
  }
  const { account: a, firehoseKey } = await createAccount(parsed.data, CLI_ACTOR).catch((err) => {
    if ((err as { code?: string }).code === "P2002") throw new CliError(`an account named "${parsed.data.name}" already exists`);
    throw err;
  });
  process.stdout.write(`added account ${a.id} "${a.name}" (${a.regions.join(", ")}, ${a.credentialMethod})\n`);
  process.stdout.write(`its Firehose access key (shown once; rotate it in Settings if lost): ${firehoseKey}\n`);
  return 0;
}

async function list(args: string[]): Promise<number> {
  const { values } = parseCliArgs(args, { json: { type: "boolean" } });
  const accounts = await listAccounts();
  if (values.json) {
    const view = accounts.map((a) => ({ id: a.id, name: a.name, awsAccountId: a.awsAccountId, regions: a.regions, credentialMethod: a.credentialMethod, profile: a.profile, roleArn: a.roleArn, isSandbox: a.isSandbox }));
    process.stdout.write(JSON.stringify(view, null, 2) + "\n");
    return 0;
  }
  if (!accounts.length) process.stdout.write("no accounts connected\n");
  for (const a of accounts) {
    const how = a.credentialMethod === "assume_role" ? `assume ${a.roleArn}` : a.credentialMethod === "profile" ? `profile ${a.profile}` : "default credential chain";
    process.stdout.write(`${String(a.id).padStart(4)}  ${a.name}${a.isSandbox ? " (sandbox)" : ""}  ${a.awsAccountId ?? "-"}  ${a.regions.join(",")}  ${how}\n`);
  }
  return 0;
}

async function remove(args: string[]): Promise<number> {
  const { positionals } = parseCliArgs(args, {}, true);
  const id = Number(positionals[0]);
  if (!Number.isInteger(id) || id <= 0) throw new CliError("usage: osprey accounts remove ID", 2);
  if (!(await deleteAccount(id, CLI_ACTOR))) throw new CliError(`no account ${id}`);
  process.stdout.write(`removed account ${id} and its data\n`);
  return 0;
}
