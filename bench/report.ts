import { appendFileSync, existsSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  return `${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** Appends a dated section to BENCHMARKS.md at the repository root. */
export function appendBenchmarks(title: string, body: string): void {
  const file = path.resolve(import.meta.dirname, "..", "BENCHMARKS.md");
  if (!existsSync(file)) writeFileSync(file, "# Benchmarks\n\nFigures measured by `npm run bench:*` on the machine named in each section. Medians and ratios come from one run each; the machine is shared and noisy.\n");
  const date = new Date().toISOString().slice(0, 16).replace("T", " ");
  appendFileSync(file, `\n## ${title} — ${date} UTC\n\nMachine: ${machine()}\n\n${body.trim()}\n`);
}
