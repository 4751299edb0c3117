// Deprecation dates from AWS's "Lambda runtimes" page,
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html (supported and deprecated tables),
// as mirrored by tflint-ruleset-aws (rules/aws_lambda_function_deprecated_runtime.go, updated Nov 2025)
// and endoflife.date/aws-lambda for the runtimes released in late 2025.
// dotnet6: AWS's table moved it to 2024-12-20; tflint still lists the earlier 2024-11-12.
export const RUNTIME_DEPRECATION_DATES: Record<string, string> = {
  "nodejs24.x": "2028-04-30",
  "nodejs22.x": "2027-04-30",
  "nodejs20.x": "2026-04-30",
  "nodejs18.x": "2025-09-01",
  "nodejs16.x": "2024-06-12",
  "nodejs14.x": "2023-12-04",
  "nodejs12.x": "2023-03-31",
  "nodejs10.x": "2021-07-30",
  "python3.14": "2029-06-30",
  "python3.13": "2029-06-30",
  "python3.12": "2028-10-31",
  "python3.11": "2026-06-30",
  "python3.10": "2026-06-30",
  "python3.9": "2025-12-15",
  "python3.8": "2024-10-14",
  "python3.7": "2023-12-04",
  "python3.6": "2022-07-18",
  "python2.7": "2021-07-15",
  java25: "2029-06-30",
  java21: "2029-06-30",
  java17: "2026-06-30",
  java11: "2026-06-30",
  "java8.al2": "2026-06-30",
  java8: "2024-01-08",
  dotnet10: "2028-11-14",
  dotnet8: "2026-11-10",
  dotnet7: "2024-05-14",
  dotnet6: "2024-12-20",
  "dotnetcore3.1": "2023-04-03",
  "ruby3.4": "2028-03-31",
  "ruby3.3": "2027-03-31",
  "ruby3.2": "2026-03-31",
  "ruby2.7": "2023-11-27",
  "go1.x": "2024-01-08",
  provided: "2024-01-08",
  "provided.al2": "2026-06-30",
  "provided.al2023": "2029-06-30",
};

// "Block function update" dates from the same AWS tables (the per-language pages, e.g. lambda-nodejs.html,
// lambda-java.html, lambda-ruby.html, list Deprecation date / Block function create / Block function update).
// Until then a deprecated runtime still takes code and configuration updates, so the upgrade path is open.
// nodejs20.x: AWS moved it from 2026-07-01 to 2026-09-30 (lambda-typescript.html); the later date applies.
// nodejs18.x: AWS's Japanese runtimes page, 2025-11-11. nodejs14.x: 2024-02-08, AWS's runtimes page as cited in
// aws-cdk discussion 29108. python3.7 / python3.8 / nodejs12.x: AWS's deprecated-runtimes table.
export const RUNTIME_BLOCK_UPDATE_DATES: Record<string, string> = {
  "nodejs24.x": "2028-07-01",
  "nodejs22.x": "2027-07-01",
  "nodejs20.x": "2026-09-30",
  "nodejs18.x": "2025-11-11",
  "nodejs14.x": "2024-02-08",
  "nodejs12.x": "2023-04-30",
  "python3.8": "2025-03-31",
  "python3.7": "2025-02-28",
  java21: "2029-08-31",
  java17: "2026-08-31",
  java11: "2026-08-31",
  "java8.al2": "2026-08-31",
  "ruby3.4": "2028-05-31",
  "ruby3.3": "2027-05-31",
  "ruby3.2": "2026-07-01",
};

// AWS's runtime deprecation policy: updates are blocked at least 60 days after the deprecation date. For a
// runtime whose date we have not recorded, that earliest date stands in, and the finding says it is an estimate.
const MIN_DAYS_DEPRECATION_TO_BLOCK_UPDATE = 60;
const DAY_MS = 86_400_000;

const SUCCESSORS: [RegExp, string][] = [
  [/^nodejs/, "nodejs24.x"],
  [/^python/, "python3.13"],
  [/^java/, "java21"],
  [/^dotnet/, "dotnet10"],
  [/^ruby/, "ruby3.4"],
  [/^(go1\.x|provided)/, "provided.al2023"],
];

export interface RuntimeDeprecation {
  runtime: string;
  deprecationDate: Date;
  /** From this date AWS refuses code and configuration updates to functions on the runtime. */
  blockUpdateDate: Date;
  /** True when blockUpdateDate is the policy's earliest date, not one AWS published for this runtime. */
  blockUpdateEstimated: boolean;
  successor: string | null;
}

function utcDate(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

export function runtimeDeprecation(runtime: string): RuntimeDeprecation | null {
  const date = RUNTIME_DEPRECATION_DATES[runtime];
  if (!date) return null;
  const deprecationDate = utcDate(date);
  const published = RUNTIME_BLOCK_UPDATE_DATES[runtime];
  const successor = SUCCESSORS.find(([family]) => family.test(runtime))?.[1] ?? null;
  return {
    runtime,
    deprecationDate,
    blockUpdateDate: published ? utcDate(published) : new Date(deprecationDate.getTime() + MIN_DAYS_DEPRECATION_TO_BLOCK_UPDATE * DAY_MS),
    blockUpdateEstimated: !published,
    successor: successor === runtime ? null : successor,
  };
}
