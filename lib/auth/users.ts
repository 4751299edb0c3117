import type pg from "pg";
import { ConflictError, NotFoundError, ValidationError } from "../api/errors";
import { pool } from "../db/prisma";
import { auth, hashPassword, MIN_PASSWORD_LENGTH } from "./auth";
import type { Role } from "./roles";

type Db = Pick<pg.Pool, "query">;

export interface UserView {
  id: string;
  name: string;
  email: string;
  role: Role;
  createdAt: string;
  lastSignInAt: string | null;
  /** How the user signs in: "password", an SSO provider's id, or nothing yet (a password link not used yet). */
  signInMethods: string[];
}

export interface NewUser {
  name: string;
  email: string;
  /** Without one the user cannot sign in until they set one with a password link. */
  password?: string;
  role: Role;
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new ValidationError(`A password has at least ${MIN_PASSWORD_LENGTH} characters`, [{ path: "password", message: `at least ${MIN_PASSWORD_LENGTH} characters` }]);
  if (password.length > 128) throw new ValidationError("A password has at most 128 characters", [{ path: "password", message: "at most 128 characters" }]);
}

export async function countUsers(db: Db = pool()): Promise<number> {
  const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM users");
  return rows[0].n;
}

/** A user who signs in with this email and password (argon2id hash, better-auth's credential account). */
export async function createUser(input: NewUser): Promise<UserView> {
  if (input.password !== undefined) checkPassword(input.password);
  const email = normalizeEmail(input.email);
  const name = input.name.trim();
  if (!name) throw new ValidationError("A user has a name", [{ path: "name", message: "required" }]);
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new ValidationError("Not an email address", [{ path: "email", message: "not an email address" }]);
  const ctx = await auth().$context;
  if (await ctx.internalAdapter.findUserByEmail(email)) throw new ConflictError(`A user with the email ${email} already exists`);
  const user = await ctx.internalAdapter.createUser({ name, email, emailVerified: true, role: input.role }, { method: "admin" });
  if (input.password !== undefined) {
    const passwordHash = await hashPassword(input.password);
    await ctx.internalAdapter.linkAccount({ userId: user.id, providerId: "credential", accountId: user.id, password: passwordHash });
  }
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: input.role,
    createdAt: user.createdAt.toISOString(),
    lastSignInAt: null,
    signInMethods: input.password !== undefined ? ["password"] : [],
  };
}

interface UserRow {
  id: string;
  name: string;
  email: string;
  role: Role;
  created_at: Date;
  last_sign_in_at: Date | null;
  methods: string[];
}
const toView = (r: UserRow): UserView => ({
  id: r.id,
  name: r.name,
  email: r.email,
  role: r.role,
  createdAt: r.created_at.toISOString(),
  lastSignInAt: r.last_sign_in_at?.toISOString() ?? null,
  signInMethods: r.methods,
});

const SELECT_USERS = `SELECT u.id, u.name, u.email, u.role, u.created_at, u.last_sign_in_at,
    array(SELECT DISTINCT CASE WHEN a.provider_id = 'credential' THEN 'password' ELSE a.provider_id END FROM auth_accounts a
          WHERE a.user_id = u.id AND (a.provider_id <> 'credential' OR a.password IS NOT NULL) ORDER BY 1) AS methods
  FROM users u`;

export async function listUsers(db: Db = pool()): Promise<UserView[]> {
  const { rows } = await db.query<UserRow>(`${SELECT_USERS} ORDER BY u.created_at, u.email`);
  return rows.map(toView);
}

export async function findUserByEmail(email: string, db: Db = pool()): Promise<UserView | null> {
  const { rows } = await db.query<UserRow>(`${SELECT_USERS} WHERE u.email = $1`, [normalizeEmail(email)]);
  return rows[0] ? toView(rows[0]) : null;
}

export async function getUser(id: string, db: Db = pool()): Promise<UserView> {
  const { rows } = await db.query<UserRow>(`${SELECT_USERS} WHERE u.id = $1`, [id]);
  if (!rows[0]) throw new NotFoundError(`User ${id}`);
  return toView(rows[0]);
}

async function requireUser(email: string, db: Db): Promise<UserView> {
  const user = await findUserByEmail(email, db);
  if (!user) throw new NotFoundError(`User ${normalizeEmail(email)}`);
  return user;
}

/** Refuses a change that would leave nobody who can manage users. */
async function keepAnOwner(user: UserView, db: Db): Promise<void> {
  if (user.role !== "owner") return;
  const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE role = 'owner' AND id <> $1", [user.id]);
  if (rows[0].n === 0) throw new ConflictError(`${user.email} is the last owner: make someone else owner first`);
}

export async function removeUser(email: string, db: Db = pool()): Promise<UserView> {
  const user = await requireUser(email, db);
  await keepAnOwner(user, db);
  // Sessions and credentials go with the user (ON DELETE CASCADE); so do unused password links.
  await db.query("DELETE FROM users WHERE id = $1", [user.id]);
  await db.query("DELETE FROM verifications WHERE value = $1", [user.id]);
  return user;
}

export async function setUserRole(email: string, role: Role, db: Db = pool()): Promise<{ user: UserView; from: Role }> {
  const user = await requireUser(email, db);
  if (role !== "owner") await keepAnOwner(user, db);
  await db.query("UPDATE users SET role = $2, updated_at = now() WHERE id = $1", [user.id, role]);
  return { user: { ...user, role }, from: user.role };
}

/** A new password; every session of the user ends. */
export async function resetPassword(email: string, password: string, db: Db = pool()): Promise<UserView> {
  checkPassword(password);
  const user = await requireUser(email, db);
  const passwordHash = await hashPassword(password);
  const { rowCount } = await db.query("UPDATE auth_accounts SET password = $2, updated_at = now() WHERE user_id = $1 AND provider_id = 'credential'", [user.id, passwordHash]);
  if (!rowCount) {
    const ctx = await auth().$context;
    await ctx.internalAdapter.linkAccount({ userId: user.id, providerId: "credential", accountId: user.id, password: passwordHash });
  }
  await revokeSessions(user.id, db);
  return user;
}

export async function revokeSessions(userId: string, db: Db = pool()): Promise<number> {
  const { rowCount } = await db.query("DELETE FROM sessions WHERE user_id = $1", [userId]);
  return rowCount ?? 0;
}
