import "dotenv/config";
import { defineConfig } from "prisma/config";

// Prisma 7 does not read .env itself, and env("DATABASE_URL") throws when unset even for generate.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
