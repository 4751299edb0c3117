import { randomBytes } from "node:crypto";
import type pg from "pg";
import { pool } from "../db/prisma";
import { mailConfigured, sendOspreyMail } from "../mail/osprey-mail";
import { auth } from "./auth";
import { OWNER_LINK_HOURS, passwordLinkUrl, passwordMail } from "./password-mail";

type Db = Pick<pg.Pool, "query">;

export interface PasswordLink {
  url: string;
  expiresAt: string;
  emailed: boolean;
}

/**
 * A one-time link with which the user sets a password: better-auth's own reset token (its /reset-password
 * consumes it, stored only as a hash), valid OWNER_LINK_HOURS. It replaces the user's earlier links and is
 * e-mailed to them when SMTP is configured.
 */
export async function createPasswordLink(user: { id: string; name: string; email: string }, kind: "welcome" | "reset", db: Db = pool()): Promise<PasswordLink> {
  await forgetPasswordLinks(user.id, db);
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + OWNER_LINK_HOURS * 3_600_000);
  const ctx = await auth().$context;
  await ctx.internalAdapter.createVerificationValue({ value: user.id, identifier: `reset-password:${token}`, expiresAt });
  const url = passwordLinkUrl(token);
  let emailed = false;
  if (mailConfigured()) {
    emailed = await sendOspreyMail(passwordMail(user, url, kind, OWNER_LINK_HOURS * 60)).then(
      () => true,
      () => false,
    );
  }
  return { url, expiresAt: expiresAt.toISOString(), emailed };
}

/** Unused links of a user stop working (a newer link, a reset done, the user removed). */
export async function forgetPasswordLinks(userId: string, db: Db = pool()): Promise<void> {
  await db.query("DELETE FROM verifications WHERE value = $1", [userId]);
}

/** Whether a password link's token is one that /reset-password will still take. */
export async function passwordLinkValid(token: string): Promise<boolean> {
  if (!/^[\w-]{16,200}$/.test(token)) return false;
  const ctx = await auth().$context;
  const found = await ctx.internalAdapter.findVerificationValue(`reset-password:${token}`);
  return Boolean(found && found.expiresAt > new Date());
}
