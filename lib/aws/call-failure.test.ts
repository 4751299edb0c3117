import { describe, expect, it } from "vitest";
import { classifyCallFailure, deniedActionIn, toIngestWarning } from "./call-failure";

const sdkError = (name: string, status: number | undefined, message = "") => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

describe("classifyCallFailure", () => {
  it("only unusable credentials fail a region", () => {
    expect(classifyCallFailure(sdkError("InvalidClientTokenId", 403, "The security token included in the request is invalid."))).toBe("credentials");
    expect(classifyCallFailure(sdkError("ExpiredToken", 400))).toBe("credentials");
    expect(classifyCallFailure(sdkError("UnrecognizedClientException", 403))).toBe("credentials");
    expect(classifyCallFailure(sdkError("AccessDenied", 403, "User: arn:aws:iam::1:user/x is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::2:role/r"))).toBe("credentials");
  });

  it("a denial, an HTML 404 and a rejected request degrade one feature", () => {
    expect(classifyCallFailure(sdkError("AccessDeniedException", 403, "... is not authorized to perform: lambda:ListTags on resource: ..."))).toBe("denied");
    expect(classifyCallFailure(sdkError("UnknownError", 404))).toBe("unsupported");
    expect(classifyCallFailure(sdkError("InvalidRequestException", 400, "Invalid filter expression"))).toBe("rejected");
    expect(classifyCallFailure(sdkError("ThrottlingException", 400))).toBe("transient");
    expect(classifyCallFailure(sdkError("InternalFailure", 500))).toBe("transient");
    expect(classifyCallFailure(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))).toBe("transient");
  });
});

describe("toIngestWarning", () => {
  it("names the IAM action AWS names in the denial", () => {
    const err = sdkError(
      "AccessDeniedException",
      403,
      "User: arn:aws:sts::123456789012:assumed-role/osprey-readonly/osprey is not authorized to perform: lambda:ListProvisionedConcurrencyConfigs on resource: arn:aws:lambda:us-east-1:123456789012:function:orders because no identity-based policy allows the lambda:ListProvisionedConcurrencyConfigs action",
    );
    expect(deniedActionIn(err)).toBe("lambda:ListProvisionedConcurrencyConfigs");
    expect(toIngestWarning("provisioned concurrency", "orders", "lambda:ListProvisionedConcurrencyConfigs", err)).toMatchObject({
      feature: "provisioned concurrency",
      resource: "orders",
      action: "lambda:ListProvisionedConcurrencyConfigs",
      denied: true,
    });
  });

  it("says an HTML 404 means the endpoint does not implement the call", () => {
    const w = toIngestWarning("provisioned concurrency", "orders", "lambda:ListProvisionedConcurrencyConfigs", sdkError("UnknownError", 404, "<html>..."));
    expect(w.denied).toBe(false);
    expect(w.message).toMatch(/does not implement this call \(HTTP 404/);
  });
});
