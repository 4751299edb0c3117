import { parseArgs, type ParseArgsConfig } from "node:util";
import { CliError } from "./main";

/** node:util parseArgs with unknown or malformed options turned into one clear CLI error. */
export function parseCliArgs<T extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err) {
    throw new CliError((err as Error).message, 2);
  }
}

/** "2h", "30m", "7d", "45s" -> milliseconds. */
export function parseDurationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/.exec(text.trim());
  if (!m) throw new CliError(`"${text}" is not a duration like 30m, 2h or 7d`, 2);
  return Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "s" | "m" | "h" | "d"];
}
