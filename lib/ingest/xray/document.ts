/** Reading segment document fields without trusting their types. */

export type Doc = Record<string, unknown>;

export function asDoc(value: unknown): Doc | null {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Doc) : null;
}

export function str(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}

export function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

export function path(doc: Doc, ...keys: string[]): unknown {
  let current: unknown = doc;
  for (const key of keys) {
    const d = asDoc(current);
    if (!d) return undefined;
    current = d[key];
  }
  return current;
}

/** Seconds with fractions -> whole microseconds, so ms values come out exact to the document. */
export function toMicros(seconds: number): number {
  return Math.round(seconds * 1e6);
}

// Where the segment document spec and the X-Ray SDKs put the resource a downstream AWS call used.
const RESOURCE_FIELDS = [
  "table_name",
  "queue_url",
  "queue_name",
  "bucket_name",
  "function_name",
  "topic_arn",
  "stream_name",
] as const;

export function awsResourceOf(doc: Doc): string | null {
  const aws = asDoc(doc.aws);
  if (!aws) return null;
  for (const field of RESOURCE_FIELDS) {
    const value = str(aws[field]);
    if (value) return value;
  }
  const names = aws.resource_names;
  return Array.isArray(names) ? str(names[0]) : null;
}

/** `arn:aws:lambda:region:account:function:name[:qualifier]` -> name. */
export function functionNameFromArn(arn: string | null): string | null {
  if (!arn) return null;
  const parts = arn.split(":");
  return parts[5] === "function" ? str(parts[6]) : null;
}

/** The ARN without a version or alias qualifier, when it is a Lambda function ARN. */
export function unqualifiedFunctionArn(arn: string | null): string | null {
  if (!functionNameFromArn(arn)) return null;
  return arn!.split(":").slice(0, 7).join(":");
}

export function lambdaServiceFunctionArn(doc: Doc): string | null {
  return unqualifiedFunctionArn(str(doc.resource_arn));
}

export function lambdaFunctionArn(doc: Doc): string | null {
  return unqualifiedFunctionArn(str(path(doc, "aws", "function_arn")));
}

export function lambdaServiceFunctionName(doc: Doc): string | null {
  return functionNameFromArn(str(doc.resource_arn)) ?? str(doc.name);
}

export function lambdaFunctionName(doc: Doc): string | null {
  const names = path(doc, "aws", "resource_names");
  return (
    functionNameFromArn(str(path(doc, "aws", "function_arn"))) ??
    (Array.isArray(names) ? str(names[0]) : null) ??
    str(doc.name)
  );
}
