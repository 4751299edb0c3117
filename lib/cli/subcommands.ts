import { AppError } from "../api/errors";
import { closeDb } from "../db/prisma";
import { CliError } from "./main";

type Subcommand = (args: string[]) => Promise<number>;

/**
 * Runs `osprey <command> <sub> …` for a command working on the database: an unknown sub prints the usage;
 * validation, not found or conflict (e.g. removing the last owner) is one line, not a stack; the pool closes after.
 */
export async function runSubcommand(args: string[], subs: Record<string, Subcommand>, usage: string): Promise<number> {
  const [sub, ...rest] = args;
  try {
    const run = sub ? subs[sub] : undefined;
    if (!run || !Object.hasOwn(subs, sub)) throw new CliError(usage, 2);
    return await run(rest);
  } catch (err) {
    if (err instanceof AppError) throw new CliError(err.message, err.status === 404 ? 1 : 2);
    throw err;
  } finally {
    await closeDb();
  }
}

/** An option's value, or the usage with what is missing. */
export function requiredOption(value: string | undefined, name: string, usage: string): string {
  if (!value) throw new CliError(`--${name} is required\n${usage}`, 2);
  return value;
}
