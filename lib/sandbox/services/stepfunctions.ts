import { jsonRpc } from "../protocols/json-rpc";
import { AwsError } from "../protocols/types";
import { ACCOUNT_ID } from "../workload/catalog";
import { COVERAGE_CREATED, executions, findExecution, listStateMachines, stateMachineArn, type Execution, type StateMachineSpec } from "../workload/coverage";
import { jsonService } from "./json-service";
import { decodeToken, encodeToken, num, page, str } from "./service";

// Step Functions speaks awsJson1_0 with camelCase members (client-sfn model); dates are epoch seconds.
const protocol = jsonRpc({ version: "1.0", targetPrefix: "AWSStepFunctions" });
const CREATED_S = COVERAGE_CREATED / 1000;
const invalidToken = () => new AwsError("InvalidToken", "Invalid Token: 'Unable to parse the token'", 400);
const s = (ms: number) => ms / 1000;

function machineOf(region: string, arn: unknown): StateMachineSpec {
  if (typeof arn !== "string" || !arn.startsWith("arn:aws:states:")) throw new AwsError("InvalidArn", `Invalid Arn: 'Resource type not valid in this context: ${String(arn)}'`, 400);
  const m = listStateMachines(region).find((x) => stateMachineArn(x) === arn);
  if (!m) throw new AwsError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${arn}'`, 400);
  return m;
}

function definition(m: StateMachineSpec): string {
  const states: Record<string, unknown> = {};
  m.states.forEach((st, i) => {
    states[st.name] = {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: { FunctionName: `arn:aws:lambda:${m.region}:${ACCOUNT_ID}:function:${m.name}-${st.name}`, "Payload.$": "$" },
      ...(st.timesOut ? { TimeoutSeconds: 30 } : {}),
      ...(i + 1 < m.states.length ? { Next: m.states[i + 1].name } : { End: true }),
    };
  });
  return JSON.stringify({ Comment: m.name, StartAt: m.states[0].name, States: states });
}

const summary = (e: Execution) => ({
  executionArn: e.arn,
  stateMachineArn: stateMachineArn(e.machine),
  name: e.name,
  status: e.status,
  startDate: s(e.start),
  ...(e.stop ? { stopDate: s(e.stop) } : {}),
});

/** The history AWS records for an execution: state entered/exited per step, a failed task and the execution's end. */
function history(e: Execution): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  const add = (timestamp: number, type: string, details: Record<string, unknown>) => {
    const id = events.length + 1;
    events.push({ timestamp: s(timestamp), type, id, previousEventId: id - 1, ...details });
  };
  add(e.start, "ExecutionStarted", { executionStartedEventDetails: { input: "{}", inputDetails: { truncated: false }, roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/${e.machine.name}-role` } });
  e.steps.forEach((step, i) => {
    const st = e.machine.states.find((x) => x.name === step.state)!;
    const fn = `arn:aws:lambda:${e.machine.region}:${ACCOUNT_ID}:function:${e.machine.name}-${step.state}`;
    add(step.entered, "TaskStateEntered", { stateEnteredEventDetails: { name: step.state, input: "{}", inputDetails: { truncated: false } } });
    add(step.entered + 5, "TaskScheduled", { taskScheduledEventDetails: { resourceType: "lambda", resource: "invoke", region: e.machine.region, parameters: JSON.stringify({ FunctionName: fn }) } });
    add(step.entered + 20, "TaskStarted", { taskStartedEventDetails: { resourceType: "lambda", resource: "invoke" } });
    if (e.failedAt === i && e.stop) {
      if (st.timesOut) add(step.exited, "TaskTimedOut", { taskTimedOutEventDetails: { resourceType: "lambda", resource: "invoke", error: "States.Timeout" } });
      else add(step.exited, "TaskFailed", { taskFailedEventDetails: { resourceType: "lambda", resource: "invoke", error: st.error, cause: st.cause } });
      return;
    }
    if (e.stop || i < e.steps.length - 1) {
      add(step.exited - 5, "TaskSucceeded", { taskSucceededEventDetails: { resourceType: "lambda", resource: "invoke", output: "{}", outputDetails: { truncated: false } } });
      add(step.exited, "TaskStateExited", { stateExitedEventDetails: { name: step.state, output: "{}", outputDetails: { truncated: false } } });
    }
  });
  if (e.status === "SUCCEEDED") add(e.stop, "ExecutionSucceeded", { executionSucceededEventDetails: { output: "{}", outputDetails: { truncated: false } } });
  if (e.status === "FAILED") {
    const st = e.machine.states[e.failedAt!];
    add(e.stop, "ExecutionFailed", { executionFailedEventDetails: { error: st.error, cause: st.cause } });
  }
  if (e.status === "TIMED_OUT") add(e.stop, "ExecutionTimedOut", { executionTimedOutEventDetails: { error: "States.Timeout", cause: `State '${e.machine.states[e.failedAt!].name}' timed out` } });
  return events;
}

export const stepFunctionsService = jsonService(
    "states",
    protocol,
    {
      ListStateMachines(input, region) {
        const all = listStateMachines(region);
        const offset = input.nextToken !== undefined ? decodeToken<{ o: number }>(input.nextToken, invalidToken).o : 0;
        const p = page(all, offset, Math.min(num(input.maxResults) || 100, 1000));
        return {
          stateMachines: p.items.map((m) => ({ stateMachineArn: stateMachineArn(m), name: m.name, type: m.type, creationDate: CREATED_S })),
          nextToken: p.next !== undefined ? encodeToken({ o: p.next }) : undefined,
        };
      },
      DescribeStateMachine(input, region) {
        const m = machineOf(region, input.stateMachineArn);
        return {
          stateMachineArn: stateMachineArn(m),
          name: m.name,
          status: "ACTIVE",
          definition: definition(m),
          roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/${m.name}-role`,
          type: m.type,
          creationDate: CREATED_S,
          loggingConfiguration: {
            level: m.logging,
            includeExecutionData: m.logging === "ALL",
            ...(m.logging !== "OFF" ? { destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: `arn:aws:logs:${region}:${ACCOUNT_ID}:log-group:/aws/vendedlogs/states/${m.name}:*` } }] } : {}),
          },
          tracingConfiguration: { enabled: m.tracing },
        };
      },
      ListExecutions(input, region, ctx) {
        const m = machineOf(region, input.stateMachineArn);
        const status = str(input.statusFilter);
        const w = ctx.workload;
        // Newest first, as AWS lists them.
        const all = executions(w, m, w.historyStart, w.now()).filter((e) => !status || e.status === status).reverse();
        const offset = input.nextToken !== undefined ? decodeToken<{ o: number }>(input.nextToken, invalidToken).o : 0;
        const p = page(all, offset, Math.min(num(input.maxResults) || 100, 1000));
        return { executions: p.items.map(summary), nextToken: p.next !== undefined ? encodeToken({ o: p.next }) : undefined };
      },
      GetExecutionHistory(input, region, ctx) {
        const arn = str(input.executionArn) ?? "";
        const e = findExecution(ctx.workload, region, arn);
        if (!e) throw new AwsError("ExecutionDoesNotExist", `Execution Does Not Exist: '${arn}'`, 400);
        const events = history(e);
        if (input.reverseOrder === true) events.reverse();
        const offset = input.nextToken !== undefined ? decodeToken<{ o: number }>(input.nextToken, invalidToken).o : 0;
        const p = page(events, offset, Math.min(num(input.maxResults) || 100, 1000));
        return { events: p.items, nextToken: p.next !== undefined ? encodeToken({ o: p.next }) : undefined };
      },
      ListTagsForResource(input, region) {
        const m = machineOf(region, input.resourceArn);
        return { tags: Object.entries(m.tags).map(([key, value]) => ({ key, value })) };
      },
    },
    () => new AwsError("ThrottlingException", "Rate exceeded", 400),
);
