// Rewrites the README's list of insight rules from the code (npm run readme:rules).
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { withRulesSection } from "../lib/analysis/insights/readme";

const file = path.resolve(import.meta.dirname, "..", "README.md");
const before = readFileSync(file, "utf8");
const after = withRulesSection(before);
if (after !== before) writeFileSync(file, after);
console.log(after === before ? "README.md: the rules section is up to date" : "README.md: rules section rewritten");
