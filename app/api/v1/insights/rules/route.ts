// GET /api/v1/insights/rules – every rule with its named thresholds (default and the user's own); PUT – set a rule's thresholds.
import { NextResponse } from "next/server";
import { RULES, thresholdOverrideProblems } from "@/lib/analysis/insights";
import { readJson } from "@/lib/api/body";
import { ValidationError } from "@/lib/api/errors";
import { handle } from "@/lib/api/route";
import { ThresholdsPut } from "@/lib/api/schemas/insights";
import { listThresholdOverrides, saveThresholds } from "@/lib/db/insights-read";
import { pool } from "@/lib/db/prisma";

export const dynamic = "force-dynamic";

export const GET = handle("viewer", async () => {
  const overrides = await listThresholdOverrides(pool());
  const data = RULES.map((r) => ({
    id: r.id,
    title: r.title,
    service: r.service,
    pillar: r.pillar,
    thresholds: Object.entries(r.defaults).map(([name, value]) => ({ name, default: value, value: overrides[r.id]?.[name] ?? value, source: r.thresholdSources[name] ?? null })),
  }));
  return NextResponse.json({ data });
});

export const PUT = handle("admin", async (req: Request) => {
  const body = ThresholdsPut.parse(await readJson(req));
  const problems = thresholdOverrideProblems({ [body.ruleId]: body.thresholds });
  if (problems.length) throw new ValidationError(problems[0], problems.map((message) => ({ path: "thresholds", message })));
  await saveThresholds(pool(), body.ruleId, body.thresholds);
  return NextResponse.json({ data: body });
});
