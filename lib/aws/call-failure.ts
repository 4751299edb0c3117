/**
 * What a failed AWS call means for the rest of a pass. Only "credentials" stops a region: with
 * bad or expired credentials every other call fails too. A denial, an endpoint that does not
 * implement the call (an HTML 404) or a request it rejects degrades one feature of one resource.
 */
export type CallFailureKind = "credentials" | "denied" | "unsupported" | "rejected" | "transient";

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number };
}

// STS, SigV4 and the SDK's own credential providers: the account's credentials are unusable.
const CREDENTIAL_ERRORS = new Set([
  "InvalidClientTokenId",
  "ExpiredToken",
  "ExpiredTokenException",
  "UnrecognizedClientException",
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "InvalidSignatureException",
  "IncompleteSignature",
  "IncompleteSignatureException",
  "MissingAuthenticationToken",
  "MissingAuthenticationTokenException",
  "AuthFailure",
  "CredentialsProviderError",
  "TokenProviderError",
  "RegionDisabledException",
]);

const DENIAL_ERRORS = new Set(["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError", "AuthorizationErrorException", "Forbidden", "ForbiddenException"]);

const statusOf = (e: SdkError) => e.$metadata?.httpStatusCode ?? e.$response?.statusCode;

export function classifyCallFailure(err: unknown): CallFailureKind {
  const e = (err ?? {}) as SdkError;
  const name = e.name ?? e.code ?? "";
  if (CREDENTIAL_ERRORS.has(name)) return "credentials";
  // AssumeRole refused: the role Osprey was given cannot be used at all.
  if (DENIAL_ERRORS.has(name) && /sts:AssumeRole\b/.test(e.message ?? "")) return "credentials";
  if (DENIAL_ERRORS.has(name)) return "denied";
  const status = statusOf(e);
  if (/Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/.test(name) || (status !== undefined && (status === 429 || status >= 500))) return "transient";
  if (status === 404 || status === 405 || status === 501 || name === "UnknownOperationException" || name === "InvalidAction") return "unsupported";
  if (status === 403) return "denied";
  if (status !== undefined && status >= 400) return "rejected";
  // No HTTP answer at all (a cut connection, a timeout): try again next pass.
  return "transient";
}

/** The IAM action AWS names in a denial ("... is not authorized to perform: lambda:ListTags on resource ..."). */
export function deniedActionIn(err: unknown): string | null {
  const m = /not authorized to perform:? ([a-z0-9-]+:[A-Za-z0-9*]+)/.exec((err as SdkError)?.message ?? "");
  return m ? m[1] : null;
}

export function isCredentialsFailure(err: unknown): boolean {
  return classifyCallFailure(err) === "credentials";
}

/** One call that failed without failing its region, as ingest health shows it. */
export interface IngestWarningInput {
  /** what is degraded, e.g. "provisioned concurrency", "logs", "traces" */
  feature: string;
  /** the resource it served (a function name), or "" for the whole region */
  resource: string;
  /** the IAM action of the call, e.g. "lambda:ListProvisionedConcurrencyConfigs" */
  action: string | null;
  denied: boolean;
  message: string;
}

export function toIngestWarning(feature: string, resource: string, action: string | null, err: unknown): IngestWarningInput {
  const kind = classifyCallFailure(err);
  const e = (err ?? {}) as SdkError;
  const status = statusOf(e);
  const name = e.name ?? e.code ?? "Error";
  // An HTML error page parses into a useless SDK message: say what the endpoint answered instead.
  const detail =
    kind === "unsupported" ? `the endpoint does not implement this call (HTTP ${status ?? "?"} ${name})` : `${name}${status ? ` (HTTP ${status})` : ""}: ${e.message ?? String(err)}`;
  return { feature, resource, action: (kind === "denied" ? deniedActionIn(err) : null) ?? action, denied: kind === "denied", message: detail.slice(0, 500) };
}
