import { writeFileSync } from "node:fs";
import path from "node:path";
import { buildIsCurrent, sourceStamp, STAMP_FILE } from "./build-stamp";
import { CliError } from "./main";
import { ROOT, runToEnd } from "./processes";

/** Builds the web app for production and records which sources it was built from. */
export async function buildWebApp(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const stamp = sourceStamp(ROOT);
  const code = await runToEnd(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], {
    cwd: ROOT,
    env: { ...env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (code !== 0) throw new CliError("the web app build failed (see above)");
  writeFileSync(path.join(ROOT, STAMP_FILE), stamp);
}

export async function buildCommand(args: string[]): Promise<number> {
  if (args.includes("--if-stale") && buildIsCurrent(ROOT)) {
    process.stdout.write("the web app build is current\n");
    return 0;
  }
  await buildWebApp();
  return 0;
}
