import { readFile } from "node:fs/promises";
import { z } from "zod";
import { parseLambdaLogEvents, toParseLogsDocument } from "../ingest/lambda-logs";
import { fromSubscriptionPayload, SubscriptionPayloadSchema } from "../ingest/lambda-logs/subscription";
import type { LogEventInput, ParseResult } from "../ingest/lambda-logs/types";
import { parseCliArgs } from "./args";
import { CliError } from "./main";

// An event as FilterLogEvents returns it.
const EventLine = z.object({
  logGroupName: z.string().optional(),
  logStreamName: z.string(),
  timestamp: z.number(),
  ingestionTime: z.number().optional(),
  message: z.string(),
  eventId: z.string(),
});

// `aws logs filter-log-events` prints the whole answer: { "events": [...], "searchedLogStreams": [...] }.
const FilterLogEventsOutput = z.object({ events: z.array(z.unknown()), logGroupName: z.string().optional() });

function toEvent(json: unknown, where: string): LogEventInput {
  const parsed = EventLine.safeParse(json);
  if (!parsed.success) throw new CliError(`${where}: not a FilterLogEvents event (${parsed.error.issues[0].path.join(".") || "shape"})`);
  return parsed.data;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The events of one file: one event per line, a filter-log-events answer, or a subscription payload. */
async function readEvents(file: string): Promise<LogEventInput[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new CliError(`${file}: no such file`);
    throw err;
  }
  const whole = tryJson(text);
  const answer = FilterLogEventsOutput.safeParse(whole);
  if (answer.success) {
    return answer.data.events.map((e, i) => ({ logGroupName: answer.data.logGroupName, ...toEvent(e, `${file}: events[${i}]`) }));
  }
  if (whole && typeof whole === "object" && "messageType" in whole) {
    const payload = SubscriptionPayloadSchema.safeParse(whole);
    if (!payload.success) throw new CliError(`${file}: not a subscription payload (${payload.error.issues[0].path.join(".") || "shape"})`);
    return fromSubscriptionPayload(payload.data);
  }
  const out: LogEventInput[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const json = tryJson(line);
    if (json === undefined) throw new CliError(`${file}:${i + 1}: not JSON`);
    out.push(toEvent(json, `${file}:${i + 1}`));
  });
  return out;
}

/** `osprey parse-logs FILE...`: what Osprey makes of a set of log events, as one JSON document. */
export async function parseLogsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, { region: { type: "string" }, architecture: { type: "string" }, "log-group": { type: "string" } }, true);
  if (!positionals.length) throw new CliError("usage: osprey parse-logs [--region R] [--architecture x86_64|arm64] [--log-group /aws/lambda/NAME] FILE...", 2);
  const arch = values.architecture;
  if (arch !== undefined && arch !== "x86_64" && arch !== "arm64") throw new CliError("--architecture must be x86_64 or arm64", 2);
  // filter-log-events answers leave out the group they were asked for: --log-group names it (and so the function).
  const group = values["log-group"];
  const events = (await Promise.all(positionals.map(readEvents))).flat().map((e) => (e.logGroupName || !group ? e : { ...e, logGroupName: group }));
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
