import type { Protocol, SandboxRequest } from "./types";

export function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/** Renders a plain object as XML elements (arrays become <member> lists, Maps <entry> lists). */
export function toXml(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join("");
  // A map (SNS Attributes, say) is a list of <entry><key/><value/></entry>.
  if (value instanceof Map) return [...value].map(([k, v]) => `<entry><key>${xmlEscape(String(k))}</key><value>${toXml(v)}</value></entry>`).join("");
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join("");
  }
  return xmlEscape(String(value));
}

/** awsQuery: form-encoded POST with Action=..., XML responses and <ErrorResponse> errors. */
export function awsQuery(xmlns: string): Protocol & { params(req: SandboxRequest): URLSearchParams; operation(req: SandboxRequest): string | undefined } {
  return {
    params(req) {
      const p = new URLSearchParams(req.body.toString("utf8"));
      for (const [k, v] of req.query) if (!p.has(k)) p.set(k, v);
      return p;
    },
    operation(req) {
      return this.params(req).get("Action") ?? undefined;
    },
    success(op, output, req) {
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<${op}Response xmlns="${xmlns}"><${op}Result>${toXml(output)}</${op}Result><ResponseMetadata><RequestId>${req.requestId}</RequestId></ResponseMetadata></${op}Response>`;
      return { status: 200, headers: { "content-type": "text/xml", "x-amzn-requestid": req.requestId }, body };
    },
    error(err, req) {
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${xmlns}"><Error><Type>${err.fault}</Type><Code>${xmlEscape(err.code)}</Code><Message>${xmlEscape(err.message)}</Message></Error><RequestId>${req.requestId}</RequestId></ErrorResponse>`;
      return { status: err.status, headers: { "content-type": "text/xml", "x-amzn-requestid": req.requestId }, body };
    },
  };
}
