import { Rng, hashString } from "./random";

export const ACCOUNT_ID = "123456789012";
export const REGIONS = ["us-east-1", "eu-west-1"] as const;

export type LogFormat = "Text" | "JSON";
export type Status = "success" | "error" | "timeout" | "out_of_memory" | "crash";

export interface ErrorKind {
  type: string;
  message: string;
  weight: number;
  /** a retry of this error fails again (bad input) instead of succeeding sometimes */
  permanent?: boolean;
}

export interface Downstream {
  kind: "dynamodb" | "s3" | "sqs" | "http";
  /** table, bucket, queue name or URL */
  target: string;
  operation: string;
  /** share of the invocation's duration it takes */
  share: number;
  errorRate?: number;
  throttleRate?: number;
}

/**
 * A failure burst that repeats every hour: for `lengthMinutes` from the workload's incident anchor
 * (a few minutes after the sandbox started, see Workload), and at the same minute of every hour
 * before and after it, invocations fail at `errorRate` with `kind`.
 */
export interface IncidentScenario {
  lengthMinutes: number;
  errorRate: number;
  kind: ErrorKind;
}

/**
 * New code deployed at these minutes from the workload's incident anchor (a few minutes after the sandbox
 * started): each deploy changes the CodeSha256 and LastModified the Lambda API reports. The deploy numbered
 * `worse.index` (0 = the first) crashes (the process exits: Runtime.ExitError) at `crashRate` and runs slower
 * until the next one replaces it.
 */
export interface DeployScenario {
  afterAnchorMinutes: number[];
  worse?: { index: number; crashRate: number; durationFactor: number };
}

export interface FunctionSpec {
  name: string;
  region: string;
  runtime: string;
  handler: string;
  memoryMb: number;
  timeoutS: number;
  arch: "x86_64" | "arm64";
  logFormat: LogFormat;
  logGroup?: string;
  version: string;
  snapStart: boolean;
  tracing: "Active" | "PassThrough";
  codeSize: number;
  description: string;
  env: Record<string, string>;
  layers: string[];
  extensions: string[];
  tags: Record<string, string>;
  /** mean primary arrivals per minute at the daily peak */
  ratePerMin: number;
  /** invoked only every N minutes (a schedule) */
  everyMinutes?: number;
  bursty: boolean;
  /** steady all day (a telemetry feed), without the daily cycle of user traffic */
  flat?: boolean;
  durationMedianMs: number;
  durationSigma: number;
  initMedianMs: number;
  memFraction: number;
  memSigma: number;
  errorRate: number;
  errorKinds: ErrorKind[];
  oomRate: number;
  crashRate: number;
  initErrorRate: number;
  async: boolean;
  dlqQueue?: string;
  reservedConcurrency?: number;
  provisionedConcurrency?: { qualifier: string; count: number };
  eventSource?: { kind: "sqs" | "kinesis"; name: string; batchSize: number };
  downstream: Downstream[];
  retentionDays?: number;
  incident?: IncidentScenario;
  /** A function URL (ListFunctionUrlConfigs); none when absent. */
  functionUrl?: { authType: "NONE" | "AWS_IAM"; corsAnyOrigin: boolean };
  deploys?: DeployScenario;
  /** The application log level of a JSON-format function (LoggingConfig.ApplicationLogLevel); INFO when absent. */
  applicationLogLevel?: "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR" | "FATAL";
  /** Its on-failure destination refuses the function's role: every event that fails its last retry is lost (DestinationDeliveryFailures). */
  destinationDenied?: boolean;
}

/** Whether an async function has an event invoke configuration (retries and an on-failure destination); report-generator has none. */
export const hasEventInvokeConfig = (s: Pick<FunctionSpec, "async" | "name">): boolean => s.async && s.name !== "report-generator";

export interface QueueSpec {
  name: string;
  region: string;
  fifo: boolean;
  dlqOf?: string;
  baseRate: number;
  visibilityTimeout: number;
  retentionSeconds: number;
  /** SQS-managed encryption; on unless false. */
  encrypted?: boolean;
  /** its consumer does not keep up: the oldest message waits about this long (ApproximateAgeOfOldestMessage) */
  backlogAgeS?: number;
  /** nobody reads it any more: messages are sent, none received */
  unread?: boolean;
  /** ReceiveMessageWaitTimeSeconds; 20 (long polling) when absent */
  receiveWaitS?: number;
  /** its access policy lets Principal "*" send, with no condition */
  publicPolicy?: boolean;
}

export interface TableSpec {
  name: string;
  region: string;
  billing: "PAY_PER_REQUEST" | "PROVISIONED";
  readCapacity: number;
  writeCapacity: number;
  itemCount: number;
  sizeBytes: number;
  createdAt: number;
  baseRate: number;
  pointInTimeRecovery: boolean;
  /**
   * With the sandbox's scopedGrants (on in `osprey sandbox`) its policy grants dynamodb:DescribeContinuousBackups
   * on named tables only, as many do: on this one the call is denied, so the review shows a check it could not run.
   */
  backupsDenied?: boolean;
}

export interface ApiSpec {
  id: string;
  name: string;
  region: string;
  kind: "REST" | "HTTP";
  stage: string;
  backend: string;
  createdAt: number;
  /** Stage-wide rate limit (requests per second); none when absent. */
  throttleRate?: number;
  accessLogs: boolean;
  /** X-Ray tracing on the stage (REST APIs); on unless false. */
  tracing?: boolean;
}

const NODE_ERRORS: ErrorKind[] = [
  { type: "TypeError", message: "Cannot read properties of undefined (reading 'id')", weight: 5 },
  { type: "ValidationError", message: "\"quantity\" must be a positive integer", weight: 3, permanent: true },
  { type: "ConditionalCheckFailedException", message: "The conditional request failed", weight: 2 },
];

const base = (s: Partial<FunctionSpec> & Pick<FunctionSpec, "name" | "region" | "runtime">): FunctionSpec => ({
  handler: s.runtime.startsWith("python") ? "app.handler" : s.runtime.startsWith("java") ? "com.example.Handler::handleRequest" : s.runtime.startsWith("provided") ? "bootstrap" : "index.handler",
  memoryMb: 512,
  timeoutS: 30,
  arch: "x86_64",
  logFormat: "Text",
  version: "$LATEST",
  snapStart: false,
  tracing: "PassThrough",
  codeSize: 1_048_576,
  description: "",
  env: { LOG_LEVEL: "info", STAGE: "prod" },
  layers: [],
  extensions: [],
  tags: { team: "platform", env: "prod" },
  ratePerMin: 2,
  bursty: false,
  durationMedianMs: 100,
  durationSigma: 0.5,
  initMedianMs: 300,
  memFraction: 0.4,
  memSigma: 0.1,
  errorRate: 0.005,
  errorKinds: NODE_ERRORS,
  oomRate: 0,
  crashRate: 0,
  initErrorRate: 0,
  async: false,
  downstream: [],
  ...s,
});

export function demoFunctions(): FunctionSpec[] {
  return [
    base({
      name: "api-backend", region: "us-east-1", runtime: "nodejs20.x", memoryMb: 512, timeoutS: 29,
      description: "REST API behind API Gateway shop-api", ratePerMin: 40, bursty: true,
      durationMedianMs: 120, durationSigma: 0.55, initMedianMs: 380, memFraction: 0.3,
      errorRate: 0.01, tracing: "Active", reservedConcurrency: 3, codeSize: 4_812_331,
      env: { LOG_LEVEL: "info", TABLE_NAME: "orders", STRIPE_URL: "https://api.stripe.com", STAGE: "prod", NODE_OPTIONS: "--enable-source-maps" },
      downstream: [
        { kind: "dynamodb", target: "orders", operation: "GetItem", share: 0.2, throttleRate: 0.01 },
        { kind: "dynamodb", target: "customers", operation: "Query", share: 0.15 },
        { kind: "http", target: "https://api.stripe.com/v1/charges", operation: "POST", share: 0.35, errorRate: 0.02 },
      ],
      retentionDays: 30, tags: { team: "shop", env: "prod", service: "api" },
    }),
    base({
      name: "orders-consumer", region: "us-east-1", runtime: "nodejs22.x", memoryMb: 256, arch: "arm64", logFormat: "JSON",
      description: "Processes orders from orders-queue", ratePerMin: 12, durationMedianMs: 240, durationSigma: 0.6,
      initMedianMs: 420, memFraction: 0.45, errorRate: 0.08, async: true, dlqQueue: "orders-dlq", tracing: "Active",
      errorKinds: [
        { type: "OrderValidationError", message: "Order total does not match line items", weight: 4, permanent: true },
        { type: "PaymentDeclinedError", message: "Card declined: insufficient_funds", weight: 3 },
        { type: "ConditionalCheckFailedException", message: "The conditional request failed", weight: 2 },
      ],
      eventSource: { kind: "sqs", name: "orders-queue", batchSize: 10 },
      downstream: [
        { kind: "dynamodb", target: "orders", operation: "PutItem", share: 0.25 },
        { kind: "s3", target: "osprey-demo-invoices", operation: "PutObject", share: 0.2 },
        { kind: "sqs", target: "notifications-queue", operation: "SendMessage", share: 0.1 },
      ],
      retentionDays: 14, tags: { team: "shop", env: "prod", service: "orders" },
    }),
    base({
      name: "image-processor", region: "us-east-1", runtime: "python3.12", memoryMb: 1024, timeoutS: 60,
      description: "Resizes uploaded images", ratePerMin: 5, durationMedianMs: 900, durationSigma: 0.45, initMedianMs: 850,
      memFraction: 0.88, memSigma: 0.05, oomRate: 0.02, errorRate: 0.005, async: true, tracing: "Active",
      errorKinds: [{ type: "UnidentifiedImageError", message: "cannot identify image file <_io.BytesIO object at 0x7f2a1c3e5d50>", weight: 1, permanent: true }],
      // Processing-heavy: resizing takes most of the handler time, the S3 reads and writes little (the advisor's
      // "memory is the lever" case); api-backend, waiting on DynamoDB and Stripe, is the other one.
      downstream: [
        { kind: "s3", target: "osprey-demo-uploads", operation: "GetObject", share: 0.07 },
        { kind: "s3", target: "osprey-demo-thumbnails", operation: "PutObject", share: 0.05 },
      ],
      codeSize: 38_114_020, layers: ["arn:aws:lambda:us-east-1:123456789012:layer:pillow:7"],
      // Open to anyone: the review's SEC 1 checks fail on it.
      functionUrl: { authType: "NONE", corsAnyOrigin: true },
    }),
    base({
      name: "report-generator", region: "us-east-1", runtime: "python3.12", memoryMb: 2048, arch: "arm64", timeoutS: 60,
      description: "Nightly and hourly business reports", ratePerMin: 1, everyMinutes: 20, durationMedianMs: 38_000,
      durationSigma: 0.4, initMedianMs: 1200, memFraction: 0.35, async: true, errorRate: 0.15,
      // A report for a region missing from its configuration fails on every retry, and with neither a DLQ nor a
      // destination the event is dropped (AsyncEventsDropped). Its schedule invokes it asynchronously, which
      // only its tag tells Osprey (lambda-async-without-failure-destination).
      errorKinds: [{ type: "KeyError", message: "'region'", weight: 1, permanent: true }],
      retentionDays: 7, tags: { team: "platform", env: "prod", invocation: "async" },
    }),
    base({
      name: "overprovisioned-worker", region: "us-east-1", runtime: "nodejs20.x", memoryMb: 3008, timeoutS: 120,
      description: "Housekeeping worker", ratePerMin: 3, durationMedianMs: 60, durationSigma: 0.4, initMedianMs: 300,
      memFraction: 0.028, memSigma: 0.08, errorRate: 0.002,
      layers: ["arn:aws:lambda:us-east-1:177933569100:layer:AWS-Parameters-and-Secrets-Lambda-Extension:12"],
      extensions: ["AWSParametersAndSecretsLambdaExtension"],
    }),
    base({
      name: "payments-snapstart", region: "us-east-1", runtime: "java21", memoryMb: 2048, timeoutS: 30, version: "7",
      snapStart: true, description: "Payment authorisation (SnapStart)", ratePerMin: 6, durationMedianMs: 180,
      durationSigma: 0.5, initMedianMs: 420, memFraction: 0.12, errorRate: 0.02, codeSize: 21_554_106,
      errorKinds: [
        { type: "java.lang.IllegalStateException", message: "Payment provider returned status 502", weight: 3 },
        { type: "java.lang.NullPointerException", message: "Cannot invoke \"com.example.Card.getNumber()\" because \"card\" is null", weight: 2 },
      ],
      retentionDays: 90,
    }),
    base({
      name: "legacy-etl", region: "us-east-1", runtime: "python3.8", memoryMb: 512, timeoutS: 300,
      description: "Old ETL job, still on python3.8", ratePerMin: 0.6,
      // A password in plain text (a made-up value): the review's SEC 3 check names the variable, never the value.
      env: { DB_HOST: "etl-db.internal", DB_PASSWORD: "sandbox-not-a-secret" }, durationMedianMs: 2400, durationSigma: 0.5,
      initMedianMs: 600, memFraction: 0.5, errorRate: 0.05, initErrorRate: 0.05,
      errorKinds: [
        { type: "KeyError", message: "'customer_id'", weight: 3 },
        { type: "ValueError", message: "invalid literal for int() with base 10: 'N/A'", weight: 2 },
      ],
    }),
    base({
      name: "auth-authorizer", region: "us-east-1", runtime: "provided.al2023", memoryMb: 128, arch: "arm64",
      timeoutS: 5, description: "Custom authorizer (Rust)", ratePerMin: 30, bursty: true, durationMedianMs: 4,
      durationSigma: 0.4, initMedianMs: 25, memFraction: 0.14, errorRate: 0, crashRate: 0.002, codeSize: 2_330_112,
      retentionDays: 3,
      // A deploy a minute after the incident anchor panics on some tokens and slows every request;
      // the next, 40 minutes later, fixes it: the function page's deploy verdict calls the first worse. Like
      // checkout-api's bursts, the deploys follow the sandbox's start.
      deploys: {
        afterAnchorMinutes: [1, 41],
        worse: { index: 0, crashRate: 0.06, durationFactor: 1.6 },
      },
    }),
    base({
      name: "stream-processor", region: "us-east-1", runtime: "python3.12", memoryMb: 512, arch: "arm64",
      logFormat: "JSON", timeoutS: 60, description: "Kinesis clickstream consumer", ratePerMin: 10,
      durationMedianMs: 300, durationSigma: 0.5, initMedianMs: 700, memFraction: 0.3, errorRate: 0.01,
      errorKinds: [{ type: "JSONDecodeError", message: "Expecting value: line 1 column 1 (char 0)", weight: 1 }],
      eventSource: { kind: "kinesis", name: "clickstream", batchSize: 100 },
      // Left at DEBUG after chasing the decode errors (lambda-verbose-log-level).
      applicationLogLevel: "DEBUG",
    }),
    base({
      name: "notification-sender", region: "us-east-1", runtime: "nodejs22.x", memoryMb: 256, arch: "arm64",
      logFormat: "JSON", logGroup: "/osprey/demo/notifications", description: "Sends Slack and e-mail notifications",
      // Most of its time waits on Slack (lambda-synchronous-chain), and 3 % of webhook calls fail (apigateway-5xx-rate).
      // Its on-failure destination refuses its role, so an event that fails every retry (a bad payload) is lost
      // (lambda-failed-event-delivery).
      ratePerMin: 4, durationMedianMs: 350, durationSigma: 0.5, initMedianMs: 500, memFraction: 0.4, errorRate: 0.03,
      async: true, destinationDenied: true, tracing: "Active", layers: ["arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Extension-ARM:65"],
      extensions: ["datadog-agent"],
      downstream: [
        { kind: "sqs", target: "notifications-queue", operation: "ReceiveMessage", share: 0.1 },
        { kind: "http", target: "https://hooks.slack.com/services/T000/B000/XXXX", operation: "POST", share: 0.65, errorRate: 0.01, throttleRate: 0.02 },
      ],
    }),
    base({
      name: "api-backend-eu", region: "eu-west-1", runtime: "nodejs20.x", memoryMb: 1024, arch: "arm64",
      description: "EU REST API", ratePerMin: 10, bursty: true, durationMedianMs: 90, durationSigma: 0.5, initMedianMs: 350,
      memFraction: 0.15, errorRate: 0.01, tracing: "Active", provisionedConcurrency: { qualifier: "live", count: 2 },
      downstream: [{ kind: "dynamodb", target: "eu-orders", operation: "GetItem", share: 0.3 }],
      retentionDays: 30,
    }),
    base({
      name: "eu-ingest-worker", region: "eu-west-1", runtime: "python3.12", memoryMb: 768, logFormat: "JSON",
      description: "EU event ingestion", ratePerMin: 4, durationMedianMs: 450, durationSigma: 0.5, initMedianMs: 650,
      memFraction: 0.35, errorRate: 0.02, async: true,
      errorKinds: [{ type: "botocore.exceptions.ClientError", message: "An error occurred (AccessDenied) when calling the PutObject operation: Access Denied", weight: 1 }],
      eventSource: { kind: "sqs", name: "eu-events-queue", batchSize: 10 },
    }),
    // The incident scenario: the payment provider behind checkout fails for five minutes every hour,
    // so the default "error rate ≥ 5 % over 10 min" policy opens an incident and resolves it after.
    base({
      name: "checkout-api", region: "us-east-1", runtime: "nodejs20.x", memoryMb: 512, timeoutS: 10,
      description: "Checkout: takes the card payment and confirms the order", ratePerMin: 15,
      durationMedianMs: 210, durationSigma: 0.45, initMedianMs: 410, memFraction: 0.32, errorRate: 0.004,
      env: { LOG_LEVEL: "info", TABLE_NAME: "orders", PAYMENTS_URL: "https://api.stripe.com", STAGE: "prod" },
      downstream: [
        { kind: "dynamodb", target: "orders", operation: "PutItem", share: 0.2 },
        { kind: "http", target: "https://api.stripe.com/v1/payment_intents", operation: "POST", share: 0.5 },
      ],
      incident: {
        lengthMinutes: 5,
        errorRate: 0.6,
        kind: { type: "PaymentProviderError", message: "Payment provider answered 503 Service Unavailable while confirming the payment intent", weight: 1 },
      },
      retentionDays: 30, tags: { team: "shop", env: "prod", service: "checkout" },
      functionUrl: { authType: "AWS_IAM", corsAnyOrigin: false },
    }),
    // Exercises the provisioned-concurrency checks: an environment kept warm all day for traffic that mostly
    // leaves it idle (under 60 % busy), while its bursts need more and spill over to on-demand ones.
    base({
      name: "search-api", region: "us-east-1", runtime: "nodejs20.x", memoryMb: 1024, arch: "arm64",
      description: "Product search behind the shop", ratePerMin: 12, bursty: true, durationMedianMs: 2000,
      durationSigma: 0.4, initMedianMs: 450, memFraction: 0.3, errorRate: 0.002, version: "4",
      provisionedConcurrency: { qualifier: "live", count: 1 },
      downstream: [{ kind: "dynamodb", target: "search-cache", operation: "GetItem", share: 0.1 }],
      retentionDays: 14, tags: { team: "shop", env: "prod", service: "search" },
    }),
    // A steady SQS feed, 15 invocations a minute day and night, with no batching window (event-source-small-batches
    // with a threshold of 0.2 a second; the default, 1 a second, would need 4 times the logs every sandbox test reads).
    base({
      name: "telemetry-ingest", region: "us-east-1", runtime: "nodejs22.x", memoryMb: 256, arch: "arm64",
      description: "Stores device telemetry from telemetry-queue", ratePerMin: 15, flat: true, durationMedianMs: 25,
      durationSigma: 0.3, initMedianMs: 300, memFraction: 0.3, errorRate: 0.001, async: true,
      eventSource: { kind: "sqs", name: "telemetry-queue", batchSize: 10 }, retentionDays: 3,
    }),
    // Its queue's oldest message waits about 15 minutes: the consumer falls behind (event-source-falling-behind).
    base({
      name: "export-worker", region: "us-east-1", runtime: "python3.12", memoryMb: 512,
      description: "Writes customer data exports from exports-queue", ratePerMin: 2, durationMedianMs: 4000,
      durationSigma: 0.4, initMedianMs: 700, memFraction: 0.4, errorRate: 0.005, async: true,
      errorKinds: [{ type: "TimeoutError", message: "export query took too long", weight: 1 }],
      // Created by hand in the console and never tagged (lambda-untagged).
      eventSource: { kind: "sqs", name: "exports-queue", batchSize: 1 }, retentionDays: 14, tags: {},
    }),
    // Switched off with reserved concurrency 0 long ago and never invoked since (lambda-unused,
    // lambda-reserved-concurrency-zero).
    base({
      name: "legacy-webhook", region: "us-east-1", runtime: "nodejs18.x", memoryMb: 256, ratePerMin: 0,
      description: "Old partner webhook, replaced by webhooks-api", reservedConcurrency: 0, retentionDays: 14,
    }),
    // Java without SnapStart, its timeout at Lambda's 15-minute maximum (lambda-java-without-snapstart,
    // lambda-timeout-at-maximum).
    base({
      name: "invoice-pdf", region: "us-east-1", runtime: "java17", memoryMb: 2048, timeoutS: 900,
      description: "Renders invoice PDFs", ratePerMin: 1, durationMedianMs: 2500, durationSigma: 0.4, initMedianMs: 3200,
      memFraction: 0.45, errorRate: 0.005, codeSize: 18_220_415, retentionDays: 30,
      errorKinds: [{ type: "java.io.IOException", message: "Font file not found: /opt/fonts/Inter.ttf", weight: 1 }],
      tags: { team: "shop", env: "prod", service: "billing" },
    }),
  ];
}

const BENCH_RUNTIMES = ["nodejs20.x", "nodejs22.x", "python3.12", "python3.13", "java21"];

/** `count` functions; `activeShare` of them, spread evenly, are invoked, the others stay idle. */
export function benchFunctions(count: number, seed: number, activeShare = 1): FunctionSpec[] {
  const out: FunctionSpec[] = [];
  for (let i = 0; i < count; i++) {
    const active = Math.floor((i + 1) * activeShare) > Math.floor(i * activeShare);
    const r = new Rng(hashString(`bench-${i}`, seed));
    const runtime = r.pick(BENCH_RUNTIMES);
    out.push(base({
      name: `bench-fn-${String(i + 1).padStart(4, "0")}`, region: "us-east-1", runtime,
      memoryMb: r.pick([128, 256, 512, 1024, 2048]), arch: r.chance(0.5) ? "arm64" : "x86_64",
      logFormat: r.chance(0.3) ? "JSON" : "Text", ratePerMin: active ? r.range(1, 20) : 0, durationMedianMs: r.range(20, 800),
      initMedianMs: r.range(150, 900), memFraction: r.range(0.1, 0.7), errorRate: r.range(0, 0.03),
      errorKinds: runtime.startsWith("python") ? [{ type: "ValueError", message: "bad value", weight: 1 }] : runtime.startsWith("java") ? [{ type: "java.lang.RuntimeException", message: "boom", weight: 1 }] : NODE_ERRORS,
      async: r.chance(0.3), tags: { team: "bench" },
    }));
  }
  return out;
}

export function demoQueues(): QueueSpec[] {
  return [
    { name: "orders-queue", region: "us-east-1", fifo: false, baseRate: 12, visibilityTimeout: 60, retentionSeconds: 345_600 },
    { name: "orders-dlq", region: "us-east-1", fifo: false, dlqOf: "orders-queue", baseRate: 0.2, visibilityTimeout: 30, retentionSeconds: 1_209_600 },
    { name: "notifications-queue", region: "us-east-1", fifo: false, baseRate: 4, visibilityTimeout: 30, retentionSeconds: 345_600 },
    { name: "payments.fifo", region: "us-east-1", fifo: true, baseRate: 2, visibilityTimeout: 30, retentionSeconds: 345_600, encrypted: false },
    { name: "eu-events-queue", region: "eu-west-1", fifo: false, baseRate: 4, visibilityTimeout: 30, retentionSeconds: 345_600 },
    { name: "telemetry-queue", region: "us-east-1", fifo: false, baseRate: 700, visibilityTimeout: 30, retentionSeconds: 86_400 },
    // Keeps messages an hour and its oldest waits about 40 minutes (event-source-falling-behind, sqs-oldest-message-age).
    { name: "exports-queue", region: "us-east-1", fifo: false, baseRate: 2, visibilityTimeout: 60, retentionSeconds: 3_600, backlogAgeS: 2_400 },
    // Partners send to it under a policy open to anyone; a container polls it without long polling
    // (sqs-public-policy, sqs-short-polling).
    { name: "partner-inbox-queue", region: "us-east-1", fifo: false, baseRate: 1, visibilityTimeout: 30, retentionSeconds: 345_600, receiveWaitS: 0, publicPolicy: true },
    // Its consumer was retired; producers still send (sqs-unread-queue).
    { name: "legacy-audit-queue", region: "us-east-1", fifo: false, baseRate: 3, visibilityTimeout: 30, retentionSeconds: 1_209_600, unread: true },
  ];
}

const CREATED = Date.UTC(2024, 2, 11, 9, 30, 0);

export function demoTables(): TableSpec[] {
  return [
    { name: "orders", region: "us-east-1", billing: "PAY_PER_REQUEST", readCapacity: 0, writeCapacity: 0, itemCount: 1_284_511, sizeBytes: 811_442_100, createdAt: CREATED, baseRate: 60, pointInTimeRecovery: true },
    { name: "customers", region: "us-east-1", billing: "PROVISIONED", readCapacity: 25, writeCapacity: 5, itemCount: 88_120, sizeBytes: 41_880_312, createdAt: CREATED, baseRate: 20, pointInTimeRecovery: true },
    { name: "sessions", region: "us-east-1", billing: "PROVISIONED", readCapacity: 5, writeCapacity: 5, itemCount: 12_004, sizeBytes: 3_001_881, createdAt: CREATED, baseRate: 8, pointInTimeRecovery: false, backupsDenied: true },
    // Provisioned well above what it uses (the cost checks on table capacity).
    { name: "search-cache", region: "us-east-1", billing: "PROVISIONED", readCapacity: 100, writeCapacity: 50, itemCount: 40_210, sizeBytes: 9_804_113, createdAt: CREATED, baseRate: 0.5, pointInTimeRecovery: true },
    { name: "eu-orders", region: "eu-west-1", billing: "PAY_PER_REQUEST", readCapacity: 0, writeCapacity: 0, itemCount: 211_305, sizeBytes: 120_551_001, createdAt: CREATED, baseRate: 10, pointInTimeRecovery: true },
  ];
}

export function demoApis(): ApiSpec[] {
  return [
    { id: "a1b2c3d4e5", name: "shop-api", region: "us-east-1", kind: "REST", stage: "prod", backend: "api-backend", createdAt: CREATED, throttleRate: 500, accessLogs: true },
    { id: "w9x8y7z6v5", name: "webhooks-api", region: "us-east-1", kind: "HTTP", stage: "$default", backend: "notification-sender", createdAt: CREATED, accessLogs: false },
    { id: "e5u4r3o2p1", name: "shop-api-eu", region: "eu-west-1", kind: "REST", stage: "prod", backend: "api-backend-eu", createdAt: CREATED, throttleRate: 200, accessLogs: true, tracing: false },
  ];
}

export function functionArn(f: Pick<FunctionSpec, "region" | "name">): string {
  return `arn:aws:lambda:${f.region}:${ACCOUNT_ID}:function:${f.name}`;
}

export function logGroupOf(f: FunctionSpec): string {
  return f.logGroup ?? `/aws/lambda/${f.name}`;
}

export function runtimeVersion(runtime: string): string {
  const m = /^([a-z]+)(\d[\d.]*)?/.exec(runtime.replace(".x", ""));
  const family = runtime.startsWith("provided") ? "provided:al2023" : `${m?.[1] ?? runtime}:${(m?.[2] ?? "").replace(/\.$/, "")}`;
  return `${family}.v${(hashString(runtime) % 40) + 10}`;
}

export function runtimeVersionArn(runtime: string, region: string): string {
  const h = (hashString(runtime, 7).toString(16) + hashString(runtime, 11).toString(16) + hashString(runtime, 13).toString(16) + hashString(runtime, 17).toString(16)).padEnd(64, "0");
  return `arn:aws:lambda:${region}::runtime:${h.slice(0, 64)}`;
}
