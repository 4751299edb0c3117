// The README's list of insight rules, written from RULES so it cannot drift: `npm run readme:rules` rewrites the
// marked section and lib/analysis/insights/readme.test.ts fails when the README differs from what it would write.
import { RULES } from "./engine";
import { LENS_QUESTIONS, PILLAR_TITLES, PILLARS, SERVICE_NOUNS } from "./review";
import type { InsightRule } from "./types";

export const README_BEGIN = "<!-- insight-rules:begin (written by `npm run readme:rules` from lib/analysis/insights; do not edit by hand) -->";
export const README_END = "<!-- insight-rules:end -->";

const SERVICE_TITLES: Record<string, string> = { lambda: "Lambda", sqs: "SQS", apigateway: "API Gateway", dynamodb: "DynamoDB", kinesis: "Kinesis", firehose: "Firehose", stepfunctions: "Step Functions", sns: "SNS", eventbridge: "EventBridge" };
const cell = (text: string) => text.replace(/\|/g, "\\|");

/** The section between the markers: per pillar, its rules by service, with the Lens question and the IAM actions each reads. */
export function rulesReadmeSection(rules: readonly InsightRule[] = RULES): string {
  const lines: string[] = [];
  const services = [...new Set(rules.map((r) => r.service))];
  const count = (pillar: string) => rules.filter((r) => r.pillar === pillar).length;
  lines.push(`${rules.length} rules: ${PILLARS.map((p) => `${count(p)} ${PILLAR_TITLES[p].toLowerCase()}`).join(", ")}.`, "");
  for (const pillar of PILLARS) {
    const of = rules.filter((r) => r.pillar === pillar);
    if (!of.length) continue;
    const questions = LENS_QUESTIONS.filter((q) => q.pillar === pillar).map((q) => `${q.id} ${q.title}`).join(" ");
    lines.push(`**${PILLAR_TITLES[pillar]}** (${of.length}). ${questions}`, "");
    lines.push("| service | rule | what it flags | Lens question | reads (IAM) |", "| --- | --- | --- | --- | --- |");
    for (const service of services) {
      for (const r of of.filter((x) => x.service === service).sort((a, b) => a.question.localeCompare(b.question) || a.id.localeCompare(b.id))) {
        const title = SERVICE_TITLES[r.service] ?? SERVICE_NOUNS[r.service]?.[1] ?? r.service;
        lines.push(`| ${title} | \`${r.id}\` | ${cell(r.title)} | ${r.question} | ${r.requires.map((a) => `\`${a}\``).join(", ")} |`);
      }
    }
    lines.push("");
  }
  return lines.join("\n").trimEnd();
}

/** The README with the marked section replaced; throws when the markers are missing. */
export function withRulesSection(readme: string, section: string = rulesReadmeSection()): string {
  const begin = readme.indexOf(README_BEGIN);
  const end = readme.indexOf(README_END);
  if (begin < 0 || end < begin) throw new Error(`README.md has no ${README_BEGIN} … ${README_END} section`);
  return `${readme.slice(0, begin + README_BEGIN.length)}\n${section}\n${readme.slice(end)}`;
}
