import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { LogEventInput } from "../types";

const DIR = fileURLToPath(new URL(".", import.meta.url));

/** One FilterLogEvents event per line, as `osprey parse-logs` reads them. */
export function loadEvents(name: string): LogEventInput[] {
  return readFileSync(join(DIR, `${name}.jsonl`), "utf8")
    .split("\n")
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as LogEventInput);
}

export function loadJson<T>(name: string): T {
  return JSON.parse(readFileSync(join(DIR, `${name}.json`), "utf8")) as T;
}

/** A deterministic shuffle, so a failing order can be replayed. */
export function shuffled<T>(items: T[], seed: number): T[] {
  const out = items.slice();
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
