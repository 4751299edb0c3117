import { runCli } from "../lib/cli/main";

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
// Exit once what was written has been handed over (a pipe may still hold a large JSON answer), without
// waiting for an idle keep-alive socket or timer a library left: a stopping process (the workers, the
// sandbox) must not outlast `osprey start`'s grace.
process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
