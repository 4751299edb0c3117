import type { UserInput } from "../api/schemas/users";
import { recordAudit, type Actor } from "../db/audit";
import { pool } from "../db/prisma";
import { createPasswordLink, type PasswordLink } from "./password-link";
import type { Role } from "./roles";
import { createUser, getUser, removeUser, setUserRole, type UserView } from "./users";

// What an owner does from Settings → Users (app/api/v1/users): each step is in the audit log.

/** A user without a password yet, and the link with which they set one. */
export async function addUserWithLink(input: UserInput, actor: Actor): Promise<{ user: UserView; link: PasswordLink }> {
  const user = await createUser(input);
  await recordAudit(pool(), actor, "user.added", { kind: "user", id: user.id, name: user.email }, { role: user.role });
  const link = await createPasswordLink(user, "welcome");
  await recordAudit(pool(), actor, "user.password_link", { kind: "user", id: user.id, name: user.email }, { emailed: link.emailed });
  return { user, link };
}

export async function changeUserRole(id: string, role: Role, actor: Actor): Promise<UserView> {
  const { user, from } = await setUserRole((await getUser(id)).email, role);
  if (from !== role) await recordAudit(pool(), actor, "user.role_changed", { kind: "user", id: user.id, name: user.email }, { from, to: role });
  return user;
}

/** The user, their sessions and unused links go. */
export async function removeUserById(id: string, actor: Actor): Promise<void> {
  const user = await removeUser((await getUser(id)).email);
  await recordAudit(pool(), actor, "user.removed", { kind: "user", id: user.id, name: user.email }, { role: user.role });
}

/** A new "set your password" link; the current password works until the link is used. */
export async function makePasswordLink(id: string, actor: Actor): Promise<PasswordLink> {
  const user = await getUser(id);
  const link = await createPasswordLink(user, "reset");
  await recordAudit(pool(), actor, "user.password_link", { kind: "user", id: user.id, name: user.email }, { emailed: link.emailed });
  return link;
}
