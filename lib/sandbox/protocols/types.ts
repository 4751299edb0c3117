import type { IncomingHttpHeaders } from "node:http";

export interface SandboxRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  region: string;
  service: string;
  requestId: string;
  /** the access key id of the SigV4 credential scope */
  accessKeyId?: string;
}

export interface SandboxReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly fault: "Sender" | "Receiver" = "Sender",
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface Protocol {
  success(operation: string, output: unknown, req: SandboxRequest, status?: number): SandboxReply;
  error(err: AwsError, req: Pick<SandboxRequest, "requestId">): SandboxReply;
}

export const header = (req: SandboxRequest, name: string): string | undefined => {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};
