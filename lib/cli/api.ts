import { env, publicUrl } from "../env";
import { parseCliArgs } from "./args";
import { CliError } from "./main";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

const USAGE = `usage: osprey api METHOD PATH [--data JSON | --data -] [--url URL] [--token TOKEN]
  e.g. osprey api GET /api/v1/incidents?state=open
       osprey api POST /api/v1/incidents/7/acknowledge --data '{}'
Sends an API request with an API token (Authorization: Bearer) and prints the JSON answer.
URL: --url, else OSPREY_URL, else this machine's Osprey (OSPREY_PUBLIC_URL or http://HOST:PORT).
TOKEN: --token, else OSPREY_TOKEN (prefer the variable: a command line shows in ps). Make one in
Settings → API tokens, or with osprey tokens create. Exit code 0 for a 2xx answer, 1 otherwise.`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** `osprey api`: /api/v1 from a script, with a token instead of a browser session. */
export async function apiCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, { data: { type: "string" }, url: { type: "string" }, token: { type: "string" } }, true);
  const [methodArg, pathArg, ...extra] = positionals;
  const method = methodArg?.toUpperCase();
  if (!method || !pathArg || extra.length || !(METHODS as readonly string[]).includes(method)) throw new CliError(USAGE, 2);
  if (!pathArg.startsWith("/")) throw new CliError(`PATH starts with /, e.g. /api/v1/incidents (got "${pathArg}")`, 2);
  const e = env();
  const token = values.token ?? e.OSPREY_TOKEN;
  if (!token) throw new CliError("no API token: pass --token or set OSPREY_TOKEN (Settings → API tokens, or osprey tokens create)", 2);
  let base: URL;
  try {
    base = new URL(values.url ?? e.OSPREY_URL ?? publicUrl(e));
  } catch {
    throw new CliError(`--url is not a URL: ${values.url}`, 2);
  }
  let body: string | undefined;
  if (values.data !== undefined) {
    body = values.data === "-" ? await readStdin() : values.data;
    try {
      JSON.parse(body);
    } catch {
      throw new CliError("--data is not JSON", 2);
    }
  }
  const url = new URL(pathArg, base);
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body });
  } catch (err) {
    throw new CliError(`cannot reach ${url.origin}: ${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message}`, 1);
  }
  const text = await res.text();
  let printed = text;
  try {
    printed = text ? JSON.stringify(JSON.parse(text), null, 2) : "";
  } catch {
    // Not JSON (an HTML error page of a proxy, say): printed as it came.
  }
  if (printed) process.stdout.write(`${printed}\n`);
  if (!res.ok) process.stderr.write(`osprey api: ${method} ${url.pathname} answered ${res.status} ${res.statusText}\n`);
  return res.ok ? 0 : 1;
}
