// POST /api/setup – first run: the holder of the setup link creates the owner and is signed in. Public; refused once a user exists.
import { NextResponse } from "next/server";
import { z } from "zod";
import { readJson } from "@/lib/api/body";
import { AppError, toErrorResponse } from "@/lib/api/errors";
import { auth } from "@/lib/auth/auth";
import { consumeSetupToken, issueSetupToken } from "@/lib/auth/setup";
import { checkPassword, countUsers, createUser } from "@/lib/auth/users";
import { recordAudit } from "@/lib/db/audit";
import { clientIp } from "@/lib/auth/client-ip";
import { pool } from "@/lib/db/prisma";

export const dynamic = "force-dynamic";

const SetupInput = z.strictObject({
  token: z.string().min(1).max(200),
  name: z.string().trim().min(1, "required").max(200),
  email: z.email("not an email address").max(320),
  password: z.string(),
});

class SetupRefusedError extends AppError {
  constructor(message: string) {
    super(message, 403, "setup_refused");
  }
}

export async function POST(req: Request): Promise<Response> {
  try {
    const input = SetupInput.parse(await readJson(req));
    checkPassword(input.password);
    if ((await countUsers()) > 0) throw new SetupRefusedError("Osprey is set up already: sign in");
    if (!(await consumeSetupToken(input.token))) throw new SetupRefusedError("This setup link is not valid (used already, or replaced by a newer one)");
    let user;
    try {
      user = await createUser({ name: input.name, email: input.email, password: input.password, role: "owner" });
    } catch (err) {
      // The link stays usable when the owner could not be created.
      await issueSetupToken(pool(), input.token);
      throw err;
    }
    await recordAudit(pool(), { name: user.email, ip: clientIp(req.headers) }, "user.added", { kind: "user", id: user.id, name: user.email }, { role: "owner", via: "setup link" });
    const signedIn = await auth().api.signInEmail({ body: { email: user.email, password: input.password }, headers: req.headers, asResponse: true });
    const res = NextResponse.json({ data: user }, { status: 201 });
    for (const cookie of signedIn.headers.getSetCookie()) res.headers.append("set-cookie", cookie);
    return res;
  } catch (err) {
    return toErrorResponse(err);
  }
}
