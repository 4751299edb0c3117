import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { z } from "zod";
import { parseLambdaLogEvents, toParseLogsDocument } from "../ingest/lambda-logs";
import type { LogEventInput, ParseResult } from "../ingest/lambda-logs/types";
import { parseCliArgs } from "./args";
import { CliError } from "./main";

// One event per line, as FilterLogEvents returns them.
const EventLine = z.object({
  logGroupName: z.string().optional(),
  logStreamName: z.string(),
  timestamp: z.number(),
  ingestionTime: z.number().optional(),
  message: z.string(),
  eventId: z.string(),
});

async function readEvents(file: string): Promise<LogEventInput[]> {
  const out: LogEventInput[] = [];
  const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      if (!line.trim()) continue;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        throw new CliError(`${file}:${n}: not JSON`);
      }
      const parsed = EventLine.safeParse(json);
      if (!parsed.success) throw new CliError(`${file}:${n}: not a FilterLogEvents event (${parsed.error.issues[0].path.join(".") || "shape"})`);
      out.push(parsed.data);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new CliError(`${file}: no such file`);
    throw err;
  }
  return out;
}

/** `osprey parse-logs FILE...`: what Osprey makes of a set of log events, as one JSON document. */
export async function parseLogsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, { region: { type: "string" }, architecture: { type: "string" } }, true);
  if (!positionals.length) throw new CliError("usage: osprey parse-logs [--region R] [--architecture x86_64|arm64] FILE...", 2);
  const arch = values.architecture;
  if (arch !== undefined && arch !== "x86_64" && arch !== "arm64") throw new CliError("--architecture must be x86_64 or arm64", 2);
  const events = (await Promise.all(positionals.map(readEvents))).flat();
  const byGroup = new Map<string, LogEventInput[]>();
  for (const e of events) {
    const g = e.logGroupName ?? "";
    if (!byGroup.has(g)) byGroup.set(g, []);
    byGroup.get(g)!.push(e);
  }
  const combined: ParseResult = { invocations: [], logLines: [], errors: [] };
  for (const group of byGroup.values()) {
    const r = parseLambdaLogEvents(group);
    combined.invocations.push(...r.invocations);
    combined.logLines.push(...r.logLines);
    combined.errors.push(...r.errors);
  }
  const doc = toParseLogsDocument(combined, { region: values.region, architecture: arch });
  process.stdout.write(JSON.stringify(doc, null, 2) + "\n");
  return 0;
}
