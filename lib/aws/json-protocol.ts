import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Checksum, SourceData } from "@smithy/types";
import { awsCallsAborted } from "./clients";

/*
 * A caller of AWS's JSON protocols (awsJson1_0 / awsJson1_1: POST / with X-Amz-Target, SigV4-signed) for
 * the services whose SDK clients are not among the project's dependencies yet: Kinesis, Firehose, Step
 * Functions and EventBridge. It does what Osprey needs of a client and no more: sign, send, decode the
 * error as the SDK names it (error.name = the AWS error code, $metadata.httpStatusCode), and retry
 * throttling, 5xx and cut connections a few times. When @aws-sdk/client-kinesis and friends are added, the
 * discovery functions can move to them; their inputs and outputs are the same JSON documents.
 */

class NodeSha256 implements Checksum {
  private h: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.h = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret ? createHmac("sha256", toBuffer(this.secret)) : createHash("sha256");
  }
  update(data: Uint8Array): void {
    this.h.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  reset(): void {
    this.h = this.fresh();
  }
}

function toBuffer(d: SourceData): Buffer {
  if (typeof d === "string") return Buffer.from(d, "utf8");
  if (ArrayBuffer.isView(d)) return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  return Buffer.from(d as ArrayBuffer);
}

export interface JsonServiceSpec {
  /** the SigV4 signing name and endpoint prefix, e.g. "kinesis", "states" */
  signingName: string;
  /** X-Amz-Target prefix, e.g. "Kinesis_20131202" */
  targetPrefix: string;
  version: "1.0" | "1.1";
  /** the service id of AWS_ENDPOINT_URL_<ID>, e.g. "KINESIS", "SFN" */
  envId: string;
}

export const KINESIS: JsonServiceSpec = { signingName: "kinesis", targetPrefix: "Kinesis_20131202", version: "1.1", envId: "KINESIS" };
export const FIREHOSE: JsonServiceSpec = { signingName: "firehose", targetPrefix: "Firehose_20150804", version: "1.1", envId: "FIREHOSE" };
export const SFN: JsonServiceSpec = { signingName: "states", targetPrefix: "AWSStepFunctions", version: "1.0", envId: "SFN" };
export const EVENTBRIDGE: JsonServiceSpec = { signingName: "events", targetPrefix: "AWSEvents", version: "1.1", envId: "EVENTBRIDGE" };

export interface JsonClientConfig {
  region: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** the sandbox's endpoint; real accounts resolve AWS_ENDPOINT_URL_<ID>, AWS_ENDPOINT_URL, then AWS's own */
  endpoint?: string;
  maxAttempts?: number;
  /** base backoff in ms (tests: shorter) */
  backoffMs?: number;
}

export interface AwsJsonError extends Error {
  $metadata: { httpStatusCode?: number; requestId?: string };
}

export interface JsonProtocolClient {
  send<T = Record<string, unknown>>(operation: string, input?: Record<string, unknown>): Promise<T>;
  destroy(): void;
}

const RETRYABLE = /Throttl|TooManyRequests|LimitExceeded|ProvisionedThroughputExceeded|RequestLimitExceeded/;

function endpointOf(spec: JsonServiceSpec, cfg: JsonClientConfig): URL {
  const url = cfg.endpoint ?? process.env[`AWS_ENDPOINT_URL_${spec.envId}`] ?? process.env.AWS_ENDPOINT_URL ?? `https://${spec.signingName}.${cfg.region}.amazonaws.com`;
  return new URL(url);
}

function errorOf(status: number, headers: Headers, text: string): AwsJsonError {
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // An HTML page or nothing: the status says what happened.
  }
  // __type may carry a namespace ("com.amazonaws.kinesis.v20131202#ResourceNotFoundException") and the header a colon suffix.
  const raw = String(body.__type ?? body.code ?? headers.get("x-amzn-errortype") ?? `Http${status}`);
  const name = raw.split("#").pop()!.split(":")[0];
  const err = new Error(String(body.message ?? body.Message ?? `HTTP ${status}`)) as AwsJsonError;
  err.name = name;
  err.$metadata = { httpStatusCode: status, requestId: headers.get("x-amzn-requestid") ?? undefined };
  return err;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createJsonClient(spec: JsonServiceSpec, cfg: JsonClientConfig): JsonProtocolClient {
  const url = endpointOf(spec, cfg);
  const signer = new SignatureV4({ credentials: cfg.credentials, region: cfg.region, service: spec.signingName, sha256: NodeSha256 });
  const maxAttempts = Math.max(1, cfg.maxAttempts ?? 4);
  const backoff = cfg.backoffMs ?? 200;

  async function once(operation: string, body: string): Promise<{ status: number; headers: Headers; text: string }> {
    const request = {
      method: "POST",
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname || "/",
      query: {},
      headers: {
        host: url.host,
        "content-type": `application/x-amz-json-${spec.version}`,
        "x-amz-target": `${spec.targetPrefix}.${operation}`,
      } as Record<string, string>,
      body,
    };
    const signed = await signer.sign(request);
    const res = await fetch(new URL(request.path, url), { method: "POST", headers: signed.headers as Record<string, string>, body });
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  return {
    async send<T>(operation: string, input: Record<string, unknown> = {}): Promise<T> {
      const body = JSON.stringify(input);
      for (let attempt = 1; ; attempt++) {
        if (awsCallsAborted()) throw Object.assign(new Error("Osprey is stopping"), { name: "AbortError" });
        let failure: AwsJsonError | Error;
        let retryable: boolean;
        try {
          const r = await once(operation, body);
          if (r.status < 300) return (r.text ? JSON.parse(r.text) : {}) as T;
          const err = errorOf(r.status, r.headers, r.text);
          failure = err;
          retryable = r.status >= 500 || r.status === 429 || RETRYABLE.test(err.name);
        } catch (err) {
          // No HTTP answer (refused, reset): as the SDK does, try again.
          failure = err as Error;
          retryable = true;
        }
        if (!retryable || attempt >= maxAttempts) throw failure;
        // Full jitter, as the SDK's standard retry strategy.
        await sleep(Math.random() * backoff * 2 ** (attempt - 1));
      }
    },
    destroy() {},
  };
}

/** Every item of a NextToken-paginated operation. */
export async function paginate<T>(client: JsonProtocolClient, operation: string, input: Record<string, unknown>, items: string, tokenIn = "NextToken", tokenOut = tokenIn): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page: Record<string, unknown> = await client.send(operation, token ? { ...input, [tokenIn]: token } : input);
    out.push(...((page[items] as T[] | undefined) ?? []));
    token = page[tokenOut] as string | undefined;
  } while (token);
  return out;
}
