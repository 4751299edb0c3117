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
  successor: string | null;
}

export function runtimeDeprecation(runtime: string): RuntimeDeprecation | null {
  const date = RUNTIME_DEPRECATION_DATES[runtime];
  if (!date) return null;
  const successor = SUCCESSORS.find(([family]) => family.test(runtime))?.[1] ?? null;
  return { runtime, deprecationDate: new Date(`${date}T00:00:00Z`), successor: successor === runtime ? null : successor };
}
