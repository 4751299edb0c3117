import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { PrismaClient } from "../generated/prisma/client";
import { databaseUrl } from "./database-url";
import { createPool } from "./pool";

// One pool and one client per process; Next's dev server reloads modules, so keep them on globalThis.
const globalForDb = globalThis as unknown as { ospreyPool?: pg.Pool; ospreyPrisma?: PrismaClient };

export function pool(): pg.Pool {
  globalForDb.ospreyPool ??= createPool(databaseUrl());
  return globalForDb.ospreyPool;
}

export function prisma(): PrismaClient {
  globalForDb.ospreyPrisma ??= new PrismaClient({ adapter: new PrismaPg(pool()) });
  return globalForDb.ospreyPrisma;
}

export async function closeDb(): Promise<void> {
  const { ospreyPrisma, ospreyPool } = globalForDb;
  globalForDb.ospreyPrisma = undefined;
  globalForDb.ospreyPool = undefined;
  await ospreyPrisma?.$disconnect();
  await ospreyPool?.end();
}
