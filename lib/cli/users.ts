import { randomBytes } from "node:crypto";
import { isRole, ROLES, type Role } from "../auth/roles";
import { createUser, listUsers, removeUser, resetPassword, setUserRole } from "../auth/users";
import { CLI_ACTOR, recordAudit } from "../db/audit";
import { pool } from "../db/prisma";
import { parseCliArgs } from "./args";
import { CliError } from "./main";
import { requiredOption, runSubcommand } from "./subcommands";

const USAGE = `usage:
  osprey users list
  osprey users add --email E --name N --role ${ROLES.join("|")} [--password-stdin]
  osprey users remove --email E
  osprey users reset-password --email E [--password-stdin]   (ends the user's sessions)
  osprey users set-role --email E --role ${ROLES.join("|")}
Without --password-stdin a password is generated and printed once.`;

const out = (line: string) => process.stdout.write(`${line}\n`);

export async function usersCommand(args: string[]): Promise<number> {
  return runSubcommand(args, { list: () => list(), add, remove, "reset-password": reset, "set-role": setRole }, USAGE);
}

const requireOption = (value: string | undefined, name: string) => requiredOption(value, name, USAGE);

function roleOption(value: string | undefined): Role {
  const role = requireOption(value, "role");
  if (!isRole(role)) throw new CliError(`--role must be one of ${ROLES.join(", ")} (got "${role}")`, 2);
  return role;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

/** The password from stdin, or a generated one (with a line saying so, printed once). */
async function passwordFrom(fromStdin: boolean | undefined): Promise<{ password: string; generated: boolean }> {
  if (fromStdin) return { password: await readStdin(), generated: false };
  return { password: randomBytes(18).toString("base64url"), generated: true };
}

async function list(): Promise<number> {
  const users = await listUsers();
  if (!users.length) out("no users: `osprey start` prints a setup link to create the owner");
  for (const u of users) out(`${u.email}\t${u.role}\t${u.name}\tadded ${u.createdAt}`);
  return 0;
}

async function add(args: string[]): Promise<number> {
  const { values } = parseCliArgs(args, { email: { type: "string" }, name: { type: "string" }, role: { type: "string" }, "password-stdin": { type: "boolean" } });
  const role = roleOption(values.role);
  const { password, generated } = await passwordFrom(values["password-stdin"]);
  const user = await createUser({ email: requireOption(values.email, "email"), name: requireOption(values.name, "name"), role, password });
  await recordAudit(pool(), CLI_ACTOR, "user.added", { kind: "user", id: user.id, name: user.email }, { role });
  out(`added ${user.email} (${user.role})`);
  if (generated) out(`password: ${password}  (shown once: pass it on safely)`);
  return 0;
}

async function remove(args: string[]): Promise<number> {
  const { values } = parseCliArgs(args, { email: { type: "string" } });
  const user = await removeUser(requireOption(values.email, "email"));
  await recordAudit(pool(), CLI_ACTOR, "user.removed", { kind: "user", id: user.id, name: user.email }, { role: user.role });
  out(`removed ${user.email}; their sessions ended`);
  return 0;
}

async function reset(args: string[]): Promise<number> {
  const { values } = parseCliArgs(args, { email: { type: "string" }, "password-stdin": { type: "boolean" } });
  const email = requireOption(values.email, "email");
  const { password, generated } = await passwordFrom(values["password-stdin"]);
  const user = await resetPassword(email, password);
  await recordAudit(pool(), CLI_ACTOR, "user.password_reset", { kind: "user", id: user.id, name: user.email });
  out(`new password set for ${user.email}; their sessions ended`);
  if (generated) out(`password: ${password}  (shown once: pass it on safely)`);
  return 0;
}

async function setRole(args: string[]): Promise<number> {
  const { values } = parseCliArgs(args, { email: { type: "string" }, role: { type: "string" } });
  const role = roleOption(values.role);
  const { user, from } = await setUserRole(requireOption(values.email, "email"), role);
  await recordAudit(pool(), CLI_ACTOR, "user.role_changed", { kind: "user", id: user.id, name: user.email }, { from, to: role });
  out(`${user.email}: ${from} -> ${role}`);
  return 0;
}
