import { readOnlyPolicyJson } from "../aws/permissions";

/** `osprey iam-policy`: prints the read-only IAM policy Osprey needs, generated from lib/aws/permissions.ts. */
export async function iamPolicyCommand(args: string[]): Promise<number> {
  if (args.length) {
    process.stderr.write("usage: osprey iam-policy\n");
    return 1;
  }
  process.stdout.write(`${readOnlyPolicyJson()}\n`);
  return 0;
}
