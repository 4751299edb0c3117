import type { Account, CredentialMethod } from "../generated/prisma/client";
import { prisma } from "./prisma";

export const SANDBOX_ACCOUNT_NAME = "Sandbox (demo)";

export interface NewAccount {
  name: string;
  awsAccountId?: string | null;
  regions: string[];
  credentialMethod: CredentialMethod;
  profile?: string | null;
  roleArn?: string | null;
  externalId?: string | null;
}

export function listAccounts(): Promise<Account[]> {
  return prisma().account.findMany({ orderBy: { id: "asc" } });
}

export function getAccount(id: number): Promise<Account | null> {
  return prisma().account.findUnique({ where: { id } });
}

export function createAccount(a: NewAccount): Promise<Account> {
  return prisma().account.create({ data: { ...a, isSandbox: false, endpointUrl: null } });
}

export async function deleteAccount(id: number): Promise<boolean> {
  const { count } = await prisma().account.deleteMany({ where: { id } });
  return count > 0;
}

export async function countRealAccounts(): Promise<number> {
  return prisma().account.count({ where: { isSandbox: false } });
}

export function findSandboxAccount(): Promise<Account | null> {
  return prisma().account.findFirst({ where: { isSandbox: true } });
}

/** Creates the sandbox account, or points the existing one at `endpointUrl`. */
export async function upsertSandboxAccount(endpointUrl: string, awsAccountId: string, regions: string[]): Promise<Account> {
  const existing = await findSandboxAccount();
  if (existing) {
    return prisma().account.update({ where: { id: existing.id }, data: { endpointUrl, awsAccountId, regions } });
  }
  return prisma().account.create({
    data: { name: SANDBOX_ACCOUNT_NAME, awsAccountId, regions, credentialMethod: "default_chain", isSandbox: true, endpointUrl },
  });
}
