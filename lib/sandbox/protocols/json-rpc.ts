import { AwsError, type Protocol, type SandboxRequest } from "./types";

export interface JsonRpcOptions {
  version: "1.0" | "1.1";
  targetPrefix: string;
  /** awsQueryCompatible services also name the old awsQuery error code in x-amzn-query-error */
  queryCompatible?: boolean;
  /** prefix of __type, e.g. com.amazonaws.dynamodb.v20120810 */
  errorNamespace?: string;
}

/** awsJson1_0 / awsJson1_1: POST / with X-Amz-Target, JSON in and out. */
export function jsonRpc(opts: JsonRpcOptions): Protocol & { operation(req: SandboxRequest): string | undefined; input(req: SandboxRequest): Record<string, unknown> } {
  const contentType = `application/x-amz-json-${opts.version}`;
  return {
    operation(req) {
      const target = req.headers["x-amz-target"];
      const t = Array.isArray(target) ? target[0] : target;
      if (req.method !== "POST" || !t) return undefined;
      const [prefix, op] = t.split(".");
      return prefix === opts.targetPrefix && op ? op : undefined;
    },
    input(req) {
      if (req.body.length === 0) return {};
      try {
        const v: unknown = JSON.parse(req.body.toString("utf8"));
        return v && typeof v === "object" ? (v as Record<string, unknown>) : {};
      } catch {
        throw new AwsError("SerializationException", "Start of structure or map found where not expected.");
      }
    },
    success(_op, output, req) {
      return { status: 200, headers: { "content-type": contentType, "x-amzn-requestid": req.requestId }, body: JSON.stringify(output ?? {}) };
    },
    error(err, req) {
      const type = opts.errorNamespace ? `${opts.errorNamespace}#${err.code}` : err.code;
      const headers: Record<string, string> = { "content-type": contentType, "x-amzn-requestid": req.requestId, "x-amzn-errortype": `${err.code}:` };
      if (opts.queryCompatible) headers["x-amzn-query-error"] = `${String(err.extra.queryCode ?? err.code)};${err.fault}`;
      const body: Record<string, unknown> = { __type: type, message: err.message };
      for (const [k, v] of Object.entries(err.extra)) if (k !== "queryCode") body[k] = v;
      return { status: err.status, headers, body: JSON.stringify(body) };
    },
  };
}
