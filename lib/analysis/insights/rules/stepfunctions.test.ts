import { describe, expect, it } from "vitest";
import { evaluateRule } from "../__fixtures__/builders";
import { aStateMachine } from "../__fixtures__/service-builders";
import { stepFunctionsFailedExecutions, stepFunctionsNoLogging } from "./stepfunctions";

describe("stepfunctions-failed-executions", () => {
  it("names the state most executions failed in, with its error", () => {
    const [f] = evaluateRule(stepFunctionsFailedExecutions, {
      stateMachines: [aStateMachine({ started: 720, failed: 58, timedOut: 14, failedStates: [{ state: "ChargePayment", error: "PaymentDeclined", count: 41 }, { state: "ReserveStock", error: "States.TaskFailed", count: 17 }] })],
    });
    expect(f).toMatchObject({ severity: "critical", pillar: "reliability", evidence: { failed: 58, timedOut: 14, failedPct: 10, topFailedState: "ChargePayment", topError: "PaymentDeclined", topFailedStateCount: 41 } });
    expect(f.recommendation).toContain("most failed in state ChargePayment with PaymentDeclined (41)");
  });

  it("warns below the critical share and stays quiet under 1 %", () => {
    expect(evaluateRule(stepFunctionsFailedExecutions, { stateMachines: [aStateMachine({ started: 1_000, failed: 20 })] })[0].severity).toBe("warning");
    expect(evaluateRule(stepFunctionsFailedExecutions, { stateMachines: [aStateMachine({ started: 1_000, failed: 5 })] })).toEqual([]);
    expect(evaluateRule(stepFunctionsFailedExecutions, { stateMachines: [aStateMachine({ started: 0 })] })).toEqual([]);
  });
});

describe("stepfunctions-logging-off", () => {
  it("flags a state machine that logs nothing", () => {
    expect(evaluateRule(stepFunctionsNoLogging, { stateMachines: [aStateMachine({ loggingLevel: "OFF" })] })).toHaveLength(1);
    expect(evaluateRule(stepFunctionsNoLogging, { stateMachines: [aStateMachine({ loggingLevel: "ERROR" })] })).toEqual([]);
  });
});
