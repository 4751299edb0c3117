import { findUserByEmail, normalizeEmail } from "../auth/users";
import { ApiTokenInput } from "../api/schemas/api-tokens";
import { API_TOKEN_SCOPES } from "../crypto/api-token";
import { createApiToken, listApiTokens, revokeApiToken } from "../db/api-tokens";
import { CLI_ACTOR } from "../db/audit";
import { parseCliArgs } from "./args";
import { CliError } from "./main";
import { requiredOption, runSubcommand } from "./subcommands";

const USAGE = `usage:
  osprey tokens create --email E --name N --scope ${API_TOKEN_SCOPES.join("|")} [--expires-in-days D]
  osprey tokens list [--email E]
  osprey tokens revoke ID
The token is printed once; Osprey keeps only its SHA-256. Use it with: osprey api GET /api/v1/incidents --token …`;

const out = (line: string) => process.stdout.write(`${line}\n`);

export async function tokensCommand(args: string[]): Promise<number> {
  return runSubcommand(args, { create, list, revoke }, USAGE);
}

const requireOption = (value: string | undefined, name: string) => requiredOption(value, name, USAGE);

async function userByEmail(email: string) {
  const user = await findUserByEmail(email);
  if (!user) throw new CliError(`no user ${normalizeEmail(email)} (osprey users list)`, 1);
  return user;
}

async function create(args: string[]): Promise<number> {
  const { values } = parseCliArgs(args, { email: { type: "string" }, name: { type: "string" }, scope: { type: "string" }, "expires-in-days": { type: "string" } });
  const days = values["expires-in-days"];
  const input = ApiTokenInput.safeParse({ name: requireOption(values.name, "name"), scope: requireOption(values.scope, "scope"), expiresInDays: days === undefined ? null : Number(days) });
  if (!input.success) throw new CliError(input.error.issues.map((i) => `--${String(i.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${i.message}`).join("\n"), 2);
  const user = await userByEmail(requireOption(values.email, "email"));
  const { token, data } = await createApiToken({ userId: user.id, ...input.data }, CLI_ACTOR);
  out(`made ${data.scope} token ${data.id} "${data.name}" for ${user.email}${data.expiresAt ? `, expires ${data.expiresAt}` : ""}`);
  out(`token: ${token}  (shown once: Osprey keeps only its hash)`);
  return 0;
}

async function list(args: string[]): Promise<number> {
  const { values } = parseCliArgs(args, { email: { type: "string" } });
  const userId = values.email ? (await userByEmail(values.email)).id : null;
  const tokens = await listApiTokens(userId);
  if (!tokens.length) out("no API tokens");
  for (const t of tokens) {
    out([t.id, t.hint, t.user.email, t.scope, t.state, `"${t.name}"`, `created ${t.createdAt}`, `last used ${t.lastUsedAt ?? "never"}`, `expires ${t.expiresAt ?? "never"}`].join("\t"));
  }
  return 0;
}

async function revoke(args: string[]): Promise<number> {
  const { positionals } = parseCliArgs(args, {}, true);
  const id = positionals[0];
  if (!id || positionals.length > 1 || !/^[1-9][0-9]{0,9}$/.test(id)) throw new CliError(`revoke takes one token id (osprey tokens list)\n${USAGE}`, 2);
  const t = await revokeApiToken(Number(id), null, CLI_ACTOR);
  out(`revoked token ${t.id} "${t.name}" of ${t.user.email} (${t.hint})`);
  return 0;
}
