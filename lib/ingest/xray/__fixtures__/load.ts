import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { XRayTraceInput } from "../types";

const DIR = fileURLToPath(new URL(".", import.meta.url));

/** A BatchGetTraces response body. */
export function loadTraces(name: string): XRayTraceInput[] {
  return (JSON.parse(readFileSync(join(DIR, `${name}.json`), "utf8")) as { Traces: XRayTraceInput[] }).Traces;
}
