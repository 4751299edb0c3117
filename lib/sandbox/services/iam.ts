import { awsQuery } from "../protocols/query";
import { AwsError } from "../protocols/types";
import { REGIONS } from "../workload/catalog";
import { MANAGED_POLICIES, roleNameOfFunction, rolePolicies, urlEncodedDocument } from "../workload/iam";
import { decodeToken, encodeToken, num, page, type Route, type Service, type ServiceContext } from "./service";

// IAM (awsQuery, version 2010-05-08): global, one endpoint (iam.amazonaws.com) signed for us-east-1 whatever the
// caller's region. The read calls Osprey makes on the execution roles of the sandbox's functions.
const protocol = awsQuery("https://iam.amazonaws.com/doc/2010-05-08/");
const OPERATIONS = ["ListRolePolicies", "GetRolePolicy", "ListAttachedRolePolicies", "GetPolicy", "GetPolicyVersion"];
const CREATED = "2025-06-02T09:00:00Z";

const noSuchEntity = (message: string) => new AwsError("NoSuchEntity", message, 404);
const badMarker = () => new AwsError("InvalidInput", "Invalid Marker", 400);

/** The region of a function that has this role: its policies name that region's resources. */
function regionOfRole(ctx: ServiceContext, roleName: string): string | undefined {
  return REGIONS.find((r) => ctx.workload.listFunctions(r).some((f) => roleNameOfFunction(f.spec.name) === roleName));
}

/** One page of a Marker/MaxItems list (MaxItems defaults to 100, as IAM's does). */
function listPage<T>(items: T[], params: URLSearchParams): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const marker = params.get("Marker");
  const p = page(items, marker ? decodeToken<{ o: number }>(marker, badMarker).o : 0, Math.min(num(params.get("MaxItems")) ?? 100, 1000));
  return { items: p.items, IsTruncated: p.next !== undefined, Marker: p.next !== undefined ? encodeToken({ o: p.next }) : undefined };
}

export const iamService: Service = {
  signingName: "iam",
  protocol,
  throttleError: () => new AwsError("Throttling", "Rate exceeded"),
  internalError: () => new AwsError("ServiceFailure", "An internal error occurred.", 500, "Receiver"),
  recognises: (req) => req.method === "POST" && new RegExp(`(^|&)Action=(${OPERATIONS.join("|")})(&|$)`).test(req.body.toString("utf8")),
  route(req, ctx): Route | undefined {
    const params = protocol.params(req);
    const action = params.get("Action") ?? "";
    if (!OPERATIONS.includes(action)) return undefined;
    const roleName = params.get("RoleName") ?? "";
    const role = () => {
      const region = regionOfRole(ctx, roleName);
      if (!region) throw noSuchEntity(`The role with name ${roleName} cannot be found.`);
      return rolePolicies(roleName, region);
    };
    const managed = () => {
      const arn = params.get("PolicyArn") ?? "";
      const policy = MANAGED_POLICIES.find((p) => p.arn === arn);
      if (!policy) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
      return policy;
    };
    switch (action) {
      case "ListRolePolicies":
        return {
          operation: action,
          run: () => {
            const { items, ...rest } = listPage([...role().inline.keys()], params);
            return { PolicyNames: items, ...rest };
          },
        };
      case "GetRolePolicy":
        return {
          operation: action,
          run: () => {
            const name = params.get("PolicyName") ?? "";
            const document = role().inline.get(name);
            if (!document) throw noSuchEntity(`The role policy with name ${name} cannot be found.`);
            return { RoleName: roleName, PolicyName: name, PolicyDocument: urlEncodedDocument(document) };
          },
        };
      case "ListAttachedRolePolicies":
        return {
          operation: action,
          run: () => {
            const attached = role().attached.map((arn) => ({ PolicyName: arn.slice(arn.lastIndexOf("/") + 1), PolicyArn: arn }));
            const { items, ...rest } = listPage(attached, params);
            return { AttachedPolicies: items, ...rest };
          },
        };
      case "GetPolicy":
        return {
          operation: action,
          run: () => {
            const p = managed();
            return {
              Policy: {
                PolicyName: p.name, PolicyId: `ANPA${p.name.toUpperCase().replace(/[^A-Z0-9]/g, "").slice(0, 17).padEnd(17, "X")}`, Arn: p.arn, Path: p.path,
                DefaultVersionId: p.versionId, AttachmentCount: 1, PermissionsBoundaryUsageCount: 0, IsAttachable: true, CreateDate: CREATED, UpdateDate: CREATED,
              },
            };
          },
        };
      default:
        return {
          operation: "GetPolicyVersion",
          run: () => {
            const p = managed();
            const versionId = params.get("VersionId") ?? "";
            if (versionId !== p.versionId) throw noSuchEntity(`Policy ${p.arn} version ${versionId} does not exist or is not attachable.`);
            return { PolicyVersion: { Document: urlEncodedDocument(p.document), VersionId: p.versionId, IsDefaultVersion: true, CreateDate: CREATED } };
          },
        };
    }
  },
};
