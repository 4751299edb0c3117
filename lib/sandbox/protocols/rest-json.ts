import { AwsError, type Protocol, type SandboxRequest } from "./types";

/** restJson1: the operation is in the method and path; errors name themselves in x-amzn-ErrorType. */
export const restJson: Protocol & { input(req: SandboxRequest): Record<string, unknown> } = {
  input(req) {
    if (req.body.length === 0) return {};
    try {
      const v: unknown = JSON.parse(req.body.toString("utf8"));
      return v && typeof v === "object" ? (v as Record<string, unknown>) : {};
    } catch {
      throw new AwsError("SerializationException", "Could not parse request body into json.");
    }
  },
  success(_op, output, req, status = 200) {
    return { status, headers: { "content-type": "application/json", "x-amzn-requestid": req.requestId }, body: JSON.stringify(output ?? {}) };
  },
  error(err, req) {
    const headers: Record<string, string> = { "content-type": "application/json", "x-amzn-requestid": req.requestId, "x-amzn-errortype": err.code };
    if (err.status === 429) headers["retry-after"] = "1";
    return { status: err.status, headers, body: JSON.stringify({ Type: err.fault === "Sender" ? "User" : "Service", message: err.message, ...err.extra }) };
  },
};

/** Matches "/2015-03-31/functions/{name}/configuration" style templates; returns decoded labels. */
export function matchPath(template: string, path: string): Record<string, string> | undefined {
  const t = template.split("/");
  const p = path.split("/");
  const greedy = t[t.length - 1].endsWith("+}");
  if (greedy ? p.length < t.length : p.length !== t.length) return undefined;
  const out: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const seg = t[i];
    if (seg.startsWith("{")) {
      const name = seg.replace(/[{}+]/g, "");
      const value = greedy && i === t.length - 1 ? p.slice(i).join("/") : p[i];
      if (!value) return undefined;
      out[name] = decodeURIComponent(value);
    } else if (seg !== p[i]) return undefined;
  }
  return out;
}
