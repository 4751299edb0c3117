import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { RULES } from "./engine";
import { README_BEGIN, README_END, rulesReadmeSection, withRulesSection } from "./readme";

describe("the README's list of insight rules", () => {
  const readme = readFileSync(path.resolve(import.meta.dirname, "../../../README.md"), "utf8");

  it("is what `npm run readme:rules` writes from the code", () => {
    expect(readme).toContain(README_BEGIN);
    expect(withRulesSection(readme), "the README's rules section is stale: run npm run readme:rules").toBe(readme);
  });

  it("lists every rule once, under its pillar", () => {
    const section = rulesReadmeSection();
    for (const r of RULES) expect(section.split(`\`${r.id}\``).length - 1, r.id).toBe(1);
    expect(section).toMatch(/^\d+ rules: \d+ security, \d+ operational excellence, \d+ reliability, \d+ performance efficiency, \d+ cost optimization\.$/m);
  });

  it("changes when a rule changes", () => {
    const renamed = RULES.map((r, i) => (i === 0 ? { ...r, title: "Renamed" } : r));
    expect(rulesReadmeSection(renamed)).not.toBe(rulesReadmeSection());
    expect(() => withRulesSection("no markers")).toThrow(README_END);
  });
});
