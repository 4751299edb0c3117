import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { BacktestPanel } from "./backtest-panel";
import { bodyOf } from "./policy-editor";

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#x27;/g, "'").replace(/\s+/g, " ").replace(/ ([:.,])/g, "$1").trim();

describe("BacktestPanel", () => {
  it("says how many incidents the policy would have opened, and where, with peaks in the kind's unit", () => {
    const out = text(
      renderToStaticMarkup(
        <BacktestPanel
          unit="percent"
          state={{
            status: "done",
            outcome: {
              kind: "ok",
              result: {
                from: "2026-11-25T21:00:00.000Z",
                to: "2026-12-02T21:00:00.000Z",
                coveredFrom: "2026-11-25T21:00:00.000Z",
                incidents: 3,
                evaluable: true,
                resources: [{ resourceId: 7, name: "checkout", incidents: 2, firstOpenedAt: "2026-11-30T10:00:00.000Z", lastOpenedAt: "2026-12-01T10:00:00.000Z", peakValue: 0.4 }],
              },
            },
          }}
        />,
      ),
    );
    expect(out).toContain("This policy would have opened 3 incidents in the last 7 days.");
    expect(out).toContain("checkout 2 incidents");
    expect(out).toContain("peak 40 %");
  });

  it("says the backtest is unavailable when the server has no endpoint for it, and why it cannot run when it says so", () => {
    expect(text(renderToStaticMarkup(<BacktestPanel unit="count" state={{ status: "done", outcome: { kind: "unavailable" } }} />))).toContain("Backtest unavailable");
    const notEvaluable = { kind: "ok" as const, result: { from: "x", to: "y", coveredFrom: null, incidents: 0, resources: [], evaluable: false, reason: "no rollups in the last 7 days" } };
    expect(text(renderToStaticMarkup(<BacktestPanel unit="count" state={{ status: "done", outcome: notEvaluable }} />))).toContain("Backtest not possible: no rollups in the last 7 days");
  });
});

describe("the editor's request body", () => {
  const draft = {
    name: " checkout errors ",
    conditionKind: "error_rate",
    threshold: "20",
    criticalThreshold: "",
    windowMinutes: "10",
    minInvocations: "10",
    severity: "warning",
    scopeKind: "resources",
    accountId: "3",
    region: "eu-west-1",
    tagKey: "team",
    tagValue: "x",
    resources: [{ id: 5, name: "checkout" }],
    channelIds: [2],
    resolveAfterMinutes: "5",
    flapMinutes: "10",
  };

  it("stores a percent as a share, leaves an empty critical threshold null, and sends only the chosen scope's fields", () => {
    expect(bodyOf(draft)).toEqual({
      name: "checkout errors",
      conditionKind: "error_rate",
      threshold: 0.2,
      criticalThreshold: null,
      windowMinutes: 10,
      minInvocations: 10,
      severity: "warning",
      scopeKind: "resources",
      accountId: null,
      region: null,
      tagKey: null,
      tagValue: null,
      resourceIds: [5],
      channelIds: [2],
      resolveAfterMinutes: 5,
      flapMinutes: 10,
    });
  });

  it("sends an empty number as null so the API names the field", () => {
    expect(bodyOf({ ...draft, threshold: "", scopeKind: "tag" })).toMatchObject({ threshold: null, tagKey: "team", tagValue: "x", resourceIds: [] });
  });
});
