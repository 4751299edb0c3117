import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

// What a production build depends on: when any of it changes, `osprey start` rebuilds.
const INPUT_DIRS = ["app", "components", "lib", "public"];
const INPUT_FILES = ["next.config.js", "package-lock.json", "postcss.config.mjs", "tsconfig.json", "prisma/schema.prisma", "proxy.ts"];
const SKIP = new Set(["node_modules", "sandbox", "__fixtures__"]);

function walk(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (!/\.test\.tsx?$/.test(entry.name)) out.push(full);
  }
}

export function sourceStamp(root: string): string {
  const files: string[] = [];
  for (const d of INPUT_DIRS) walk(path.join(root, d), files);
  for (const f of INPUT_FILES) if (existsSync(path.join(root, f))) files.push(path.join(root, f));
  files.sort();
  const hash = createHash("sha256");
  for (const f of files) {
    if (!statSync(f).isFile()) continue;
    hash.update(path.relative(root, f)).update("\0").update(readFileSync(f)).update("\0");
  }
  return hash.digest("hex");
}

export const STAMP_FILE = path.join(".next", "osprey-source-stamp");

export function buildIsCurrent(root: string): boolean {
  const stampPath = path.join(root, STAMP_FILE);
  if (!existsSync(path.join(root, ".next", "BUILD_ID")) || !existsSync(stampPath)) return false;
  return readFileSync(stampPath, "utf8").trim() === sourceStamp(root);
}
