import { jsonRpc } from "../protocols/json-rpc";
import { accessDeniedMessage } from "../call-policy";
import { AwsError } from "../protocols/types";
import { ACCOUNT_ID } from "../workload/catalog";
import { num, str, type Route, type Service } from "./service";

const protocol = jsonRpc({ version: "1.0", targetPrefix: "DynamoDB_20120810", errorNamespace: "com.amazonaws.dynamodb.v20120810" });

export const dynamodbService: Service = {
  signingName: "dynamodb",
  protocol,
  throttleError: () => new AwsError("ThrottlingException", "Rate of requests exceeds the allowed throughput."),
  internalError: () => new AwsError("InternalServerError", "Internal server error", 500, "Receiver"),
  recognises: (req) => protocol.operation(req) !== undefined,
  route(req, ctx): Route | undefined {
    const op = protocol.operation(req);
    const wl = ctx.workload;
    const region = req.region;
    if (op === "ListTables") {
      return {
        operation: op,
        run: () => {
          const input = protocol.input(req);
          const limit = Math.min(num(input.Limit) ?? 100, 100);
          const names = wl.listTables(region).map((t) => t.name).sort();
          const startAfter = str(input.ExclusiveStartTableName);
          const rest = startAfter ? names.filter((n) => n > startAfter) : names;
          const out = rest.slice(0, limit);
          return { TableNames: out, LastEvaluatedTableName: rest.length > limit ? out[out.length - 1] : undefined };
        },
      };
    }
    if (op === "DescribeContinuousBackups") {
      return {
        operation: op,
        run: () => {
          const name = str(protocol.input(req).TableName);
          const t = wl.listTables(region).find((x) => x.name === name);
          if (!t) throw new AwsError("TableNotFoundException", `Table not found: ${name ?? ""}`);
          const arn = `arn:aws:dynamodb:${region}:${ACCOUNT_ID}:table/${t.name}`;
          if (t.backupsDenied && ctx.scopedGrants) throw new AwsError("AccessDeniedException", accessDeniedMessage("dynamodb:DescribeContinuousBackups", ACCOUNT_ID, arn), 400);
          return {
            ContinuousBackupsDescription: {
              ContinuousBackupsStatus: "ENABLED",
              PointInTimeRecoveryDescription: t.pointInTimeRecovery
                ? { PointInTimeRecoveryStatus: "ENABLED", RecoveryPeriodInDays: 35, EarliestRestorableDateTime: t.createdAt / 1000 }
                : { PointInTimeRecoveryStatus: "DISABLED" },
            },
          };
        },
      };
    }
    if (op === "DescribeTable") {
      return {
        operation: op,
        run: () => {
          const name = str(protocol.input(req).TableName);
          const t = wl.listTables(region).find((x) => x.name === name);
          if (!t) throw new AwsError("ResourceNotFoundException", `Requested resource not found: Table: ${name ?? ""} not found`);
          const arn = `arn:aws:dynamodb:${region}:${ACCOUNT_ID}:table/${t.name}`;
          return {
            Table: {
              TableName: t.name,
              TableArn: arn,
              TableId: `${t.name.length.toString(16).padStart(8, "0")}-1111-4222-8333-${t.createdAt.toString(16).slice(-12).padStart(12, "0")}`,
              TableStatus: "ACTIVE",
              CreationDateTime: t.createdAt / 1000,
              AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "S" }],
              KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
              ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: t.readCapacity, WriteCapacityUnits: t.writeCapacity },
              ...(t.billing === "PAY_PER_REQUEST" ? { BillingModeSummary: { BillingMode: "PAY_PER_REQUEST", LastUpdateToPayPerRequestDateTime: t.createdAt / 1000 } } : {}),
              TableSizeBytes: t.sizeBytes,
              ItemCount: t.itemCount,
              DeletionProtectionEnabled: t.name === "orders",
              TableClassSummary: { TableClass: "STANDARD" },
            },
          };
        },
      };
    }
    return undefined;
  },
};
