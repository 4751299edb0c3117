import type pg from "pg";
import { LENS_QUESTIONS, PILLAR_TITLES, pillarScores } from "../analysis/insights/review";
import type { ReviewQuery, ReviewResponse } from "../api/schemas/review";
import { getReviewChecks, reviewHistory } from "./review";

/** The review as the API and the page show it: pillars, their questions, each question's checks. */
export async function getReview(db: Pick<pg.Pool, "query">, q: ReviewQuery, now = new Date()): Promise<ReviewResponse> {
  const scope = { account: q.account, region: q.region };
  const checks = await getReviewChecks(db, scope, now);
  const history = await reviewHistory(db, scope, q.days, now);
  return {
    pillars: pillarScores(checks).map((p) => ({
      ...p,
      title: PILLAR_TITLES[p.pillar],
      history: history[p.pillar],
      questions: LENS_QUESTIONS.filter((question) => question.pillar === p.pillar).map((question) => ({
        id: question.id,
        title: question.title,
        checks: checks
          .filter((c) => c.question === question.id)
          .map((c) => ({
            ruleId: c.ruleId,
            title: c.title,
            service: c.service,
            status: c.status,
            resourcesChecked: c.resourcesChecked,
            findings: c.findings.map(({ resourceArn, resourceName, severity, evidence, recommendation }) => ({ resourceArn, resourceName, severity, evidence, recommendation })),
            missingActions: c.missingActions,
            notCheckedReason: c.notCheckedReason,
            toChange: c.toChange,
          })),
      })),
    })),
  };
}
