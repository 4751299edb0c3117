import type { Workload } from "../workload";
import type { AwsError, Protocol, SandboxRequest } from "../protocols/types";
import type { RoleRegistry } from "../roles";
import type { InsightsTiming } from "./logs-insights";
import type { SnsStore } from "./sns";

export interface ServiceContext {
  workload: Workload;
  sns: SnsStore;
  url: string;
  externalId?: string;
  /** roles deployed from CloudFormation templates (lib/sandbox/roles.ts) */
  roles: RoleRegistry;
  /** refuse the calls the catalog marks as left out of a scoped policy (TableSpec.backupsDenied) */
  scopedGrants?: boolean;
  /** how long Logs Insights queries run (lib/sandbox/services/logs-insights.ts) */
  insights?: InsightsTiming;
}

export interface Route {
  operation: string;
  run(): unknown;
  status?: number;
}

export interface Service {
  /** the service name in the SigV4 credential scope */
  signingName: string;
  protocol: Protocol;
  route(req: SandboxRequest, ctx: ServiceContext): Route | undefined;
  throttleError(): AwsError;
  internalError(): AwsError;
  /** recognises a request of this service when there is no credential scope to go by */
  recognises(req: SandboxRequest): boolean;
}

export function encodeToken(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString("base64url");
}

export function decodeToken<T>(token: unknown, invalid: () => Error): T {
  if (typeof token !== "string" || token === "") throw invalid();
  try {
    return JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as T;
  } catch {
    throw invalid();
  }
}

export function page<T>(items: T[], offset: number, size: number): { items: T[]; next?: number } {
  const slice = items.slice(offset, offset + size);
  return { items: slice, next: offset + size < items.length ? offset + size : undefined };
}

export const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" && v !== "" && Number.isFinite(Number(v)) ? Number(v) : undefined);
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
