import { functionNameFromArn, unqualifiedFunctionArn } from "./document";
import type { SpanRow } from "./types";

/** A Lambda function Osprey knows in the account and region whose traces are read. */
export interface KnownFunction {
  id: number;
  name: string;
  arn: string;
}

export interface SpanScope {
  region: string;
  /** The AWS account id, when known. */
  accountId: string | null;
}

/**
 * The resource of each span: the function whose invocation it belongs to, found by ARN, else by name
 * among the functions of this account and region. A span that names a function Osprey does not know
 * (another account's, another region's, or not discovered yet) gets null, never the polled function:
 * a trace holds the spans of every function it passed through. Only spans that name no function
 * (a caller's segment above the Lambda service) get `fallback`.
 */
export function spanResourceIds(
  spans: readonly Pick<SpanRow, "functionName" | "functionArn">[],
  functions: readonly KnownFunction[],
  scope: SpanScope,
  fallback: number | null,
): (number | null)[] {
  const byArn = new Map<string, number>();
  const byName = new Map<string, number>();
  for (const f of functions) {
    byArn.set(unqualifiedFunctionArn(f.arn) ?? f.arn, f.id);
    if (!byName.has(f.name)) byName.set(f.name, f.id);
  }
  return spans.map((s) => {
    const arn = unqualifiedFunctionArn(s.functionArn);
    const name = s.functionName ?? functionNameFromArn(arn);
    if (!arn && !name) return fallback;
    if (arn) {
      const id = byArn.get(arn);
      if (id !== undefined) return id;
      // A same-named function in another account or region is another function.
      const [, , , region, account] = arn.split(":");
      if (region !== scope.region || (scope.accountId !== null && account !== scope.accountId)) return null;
    }
    return name === null ? null : (byName.get(name) ?? null);
  });
}
