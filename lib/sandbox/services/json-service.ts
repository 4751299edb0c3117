import type { jsonRpc } from "../protocols/json-rpc";
import { AwsError } from "../protocols/types";
import type { Route, Service, ServiceContext } from "./service";

export type JsonOperations = Record<string, (input: Record<string, unknown>, region: string, ctx: ServiceContext) => unknown>;

/** A JSON-protocol service answered from a table of operations, each a function of its input and region. */
export function jsonService(signingName: string, protocol: ReturnType<typeof jsonRpc>, ops: JsonOperations, throttle: () => AwsError): Service {
  return {
    signingName,
    protocol,
    throttleError: throttle,
    internalError: () => new AwsError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", 500, "Receiver"),
    recognises: (req) => protocol.operation(req) !== undefined,
    route(req, ctx): Route | undefined {
      const op = protocol.operation(req);
      const handler = op ? ops[op] : undefined;
      if (!op || !handler) return undefined;
      return { operation: op, run: () => handler(protocol.input(req), req.region, ctx) };
    },
  };
}

