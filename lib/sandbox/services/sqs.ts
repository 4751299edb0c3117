import { jsonRpc } from "../protocols/json-rpc";
import { AwsError } from "../protocols/types";
import { ACCOUNT_ID } from "../workload/catalog";
import type { Workload } from "../workload";
import { decodeToken, encodeToken, num, page, str, type Route, type Service } from "./service";

const protocol = jsonRpc({ version: "1.0", targetPrefix: "AmazonSQS", queryCompatible: true });
const CREATED = Date.UTC(2024, 2, 11, 9, 30, 0) / 1000;

const queueUrl = (base: string, name: string) => `${base}/${ACCOUNT_ID}/${name}`;
const nonExistent = () => new AwsError("QueueDoesNotExist", "The specified queue does not exist.", 400, "Sender", { queryCode: "AWS.SimpleQueueService.NonExistentQueue" });

function findQueue(wl: Workload, url: unknown, region: string) {
  const name = typeof url === "string" ? url.split("/").pop() : undefined;
  const q = wl.listQueues(region).find((x) => x.name === name);
  if (!q) throw nonExistent();
  return q;
}

export const sqsService: Service = {
  signingName: "sqs",
  protocol,
  throttleError: () => new AwsError("RequestThrottled", "Request is throttled.", 400, "Sender", { queryCode: "RequestThrottled" }),
  internalError: () => new AwsError("InternalError", "We encountered an internal error. Please try again.", 500, "Receiver"),
  recognises: (req) => protocol.operation(req) !== undefined,
  route(req, ctx): Route | undefined {
    const op = protocol.operation(req);
    const wl = ctx.workload;
    const region = req.region;
    if (op === "ListQueues") {
      return {
        operation: op,
        run: () => {
          const input = protocol.input(req);
          const prefix = str(input.QueueNamePrefix) ?? "";
          const max = num(input.MaxResults);
          const all = wl.listQueues(region).filter((q) => q.name.startsWith(prefix)).map((q) => queueUrl(ctx.url, q.name));
          if (max === undefined) return { QueueUrls: all.slice(0, 1000) };
          const offset = input.NextToken !== undefined ? decodeToken<{ o: number }>(input.NextToken, () => new AwsError("InvalidParameterValue", "Invalid NextToken")).o : 0;
          const p = page(all, offset, max);
          return { QueueUrls: p.items, NextToken: p.next !== undefined ? encodeToken({ o: p.next }) : undefined };
        },
      };
    }
    if (op === "GetQueueAttributes") {
      return {
        operation: op,
        run: () => {
          const input = protocol.input(req);
          const q = findQueue(wl, input.QueueUrl, region);
          const names = Array.isArray(input.AttributeNames) ? input.AttributeNames.map(String) : [];
          const dlq = wl.listQueues(region).find((x) => x.dlqOf === q.name);
          const all: Record<string, string> = {
            QueueArn: `arn:aws:sqs:${region}:${ACCOUNT_ID}:${q.name}`,
            ApproximateNumberOfMessages: String(Math.round(q.baseRate * 2)),
            ApproximateNumberOfMessagesNotVisible: String(Math.round(q.baseRate / 2)),
            ApproximateNumberOfMessagesDelayed: "0",
            CreatedTimestamp: String(CREATED),
            LastModifiedTimestamp: String(CREATED),
            VisibilityTimeout: String(q.visibilityTimeout),
            MaximumMessageSize: "262144",
            MessageRetentionPeriod: String(q.retentionSeconds),
            DelaySeconds: "0",
            ReceiveMessageWaitTimeSeconds: String(q.receiveWaitS ?? 20),
            SqsManagedSseEnabled: q.encrypted === false ? "false" : "true",
            ...(dlq ? { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:${region}:${ACCOUNT_ID}:${dlq.name}`, maxReceiveCount: 3 }) } : {}),
            ...(q.publicPolicy ? { Policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "PartnersSend", Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: `arn:aws:sqs:${region}:${ACCOUNT_ID}:${q.name}` }] }) } : {}),
            ...(q.fifo ? { FifoQueue: "true", ContentBasedDeduplication: "false" } : {}),
          };
          const wanted = names.length === 0 ? [] : names.includes("All") ? Object.keys(all) : names;
          const Attributes: Record<string, string> = {};
          for (const n of wanted) if (all[n] !== undefined) Attributes[n] = all[n];
          return { Attributes };
        },
      };
    }
    return undefined;
  },
};
