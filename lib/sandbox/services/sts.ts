import { awsQuery } from "../protocols/query";
import { AwsError } from "../protocols/types";
import { ACCOUNT_ID } from "../workload/catalog";
import { hashString, Rng } from "../workload/random";
import type { Route, Service } from "./service";

const protocol = awsQuery("https://sts.amazonaws.com/doc/2011-06-15/");

export const stsService: Service = {
  signingName: "sts",
  protocol,
  throttleError: () => new AwsError("Throttling", "Rate exceeded"),
  internalError: () => new AwsError("InternalFailure", "An internal error occurred.", 500, "Receiver"),
  recognises: (req) => req.method === "POST" && /(^|&)Action=(GetCallerIdentity|AssumeRole)(&|$)/.test(req.body.toString("utf8")),
  route(req, ctx): Route | undefined {
    const params = protocol.params(req);
    const action = params.get("Action");
    if (action === "GetCallerIdentity") {
      return {
        operation: action,
        run: () => {
          const role = ctx.roles.roleOfKey(req.accessKeyId);
          if (role) return { Arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${role.name}/${ctx.roles.sessionOfKey(req.accessKeyId)}`, UserId: `AROASANDBOX:${role.name}`, Account: ACCOUNT_ID };
          return { Arn: `arn:aws:iam::${ACCOUNT_ID}:user/osprey-demo`, UserId: "AIDASANDBOXOSPREY0001", Account: ACCOUNT_ID };
        },
      };
    }
    if (action === "AssumeRole") {
      return {
        operation: action,
        run: () => {
          const roleArn = params.get("RoleArn") ?? "";
          const session = params.get("RoleSessionName") ?? "";
          if (!/^arn:aws:iam::\d{12}:role\/.+/.test(roleArn) || !session) {
            throw new AwsError("ValidationError", "1 validation error detected: Value at 'roleArn' failed to satisfy constraint");
          }
          // A role deployed from a template requires the ExternalId of its trust policy; others the sandbox's own, if set.
          const deployed = ctx.roles.role(roleArn);
          const required = deployed ? deployed.externalId : ctx.externalId;
          if (required != null && params.get("ExternalId") !== required) {
            throw new AwsError("AccessDenied", `User: arn:aws:iam::${ACCOUNT_ID}:user/osprey-demo is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
          }
          const r = new Rng(hashString(`${roleArn}/${session}`));
          const seconds = Number(params.get("DurationSeconds") ?? 3600);
          const roleName = roleArn.split("/").pop();
          const roleId = `AROA${r.hex(17).toUpperCase()}`;
          const accessKeyId = `ASIA${r.hex(16).toUpperCase()}`;
          if (deployed) ctx.roles.issued(accessKeyId, deployed.name, session);
          return {
            Credentials: {
              AccessKeyId: accessKeyId,
              SecretAccessKey: r.hex(40),
              SessionToken: Buffer.from(r.hex(120), "hex").toString("base64"),
              Expiration: new Date(ctx.workload.now() + seconds * 1000).toISOString(),
            },
            AssumedRoleUser: { AssumedRoleId: `${roleId}:${session}`, Arn: `arn:aws:sts::${roleArn.split(":")[4]}:assumed-role/${roleName}/${session}` },
            PackedPolicySize: undefined,
          };
        },
      };
    }
    return undefined;
  },
};
