"use client";

import Link from "next/link";
import { Suspense, useMemo } from "react";
import { ApiError } from "../hooks/fetch-json";
import { useResourceQuery } from "../hooks/use-api-queries";
import { useTimeRange } from "../hooks/use-time-range";
import { ResourceIncidentsBanner } from "../incidents/open-incidents";
import { InsightSlot } from "../insights/insight-slot";
import { PageHeader } from "../ui/page-header";
import { RangePicker } from "../ui/range-picker";
import { Section } from "../ui/section";
import { EmptyState, ErrorState, SkeletonRows } from "../ui/states";
import { cloudwatchCharts, lambdaCharts } from "./chart-specs";
import { ConfigPanel } from "./config-panel";
import { Deploys } from "./deploys";
import { VersionsAndAliases } from "./versions-aliases";
import { ErrorGroups } from "./error-groups";
import { FailedExecutions } from "./failed-executions";
import { InvocationsTable } from "./invocations-table";
import { LiveTailSection } from "./live-tail-section";
import { MetricChart, sharedSeriesRequest } from "./metric-chart";
import { PerformanceBreakdown } from "./performance-breakdown";
import { ResourceTotals } from "./resource-totals";

const KIND_LABEL: Record<string, string> = {
  lambda: "Lambda function",
  sqs: "SQS queue",
  apigateway: "API Gateway API",
  dynamodb: "DynamoDB table",
  kinesis: "Kinesis data stream",
  firehose: "Firehose delivery stream",
  stepfunctions: "Step Functions state machine",
  sns: "SNS topic",
  eventbridge: "EventBridge rule",
};

function ResourceBody({ id }: { id: number }) {
  const { range, params, set } = useTimeRange();
  const resource = useResourceQuery(id);
  const r = resource.data;
  const specs = useMemo(() => (r ? (r.kind === "lambda" ? lambdaCharts(r.region, range.spanMs) : cloudwatchCharts(r.kind)) : []), [r, range.spanMs]);
  const shared = useMemo(() => sharedSeriesRequest(specs), [specs]);

  if (resource.isPending)
    return (
      <>
        <PageHeader title="Loading…" />
        <SkeletonRows rows={5} />
      </>
    );
  if (resource.isError) {
    if (resource.error instanceof ApiError && resource.error.status === 404)
      return (
        <>
          <PageHeader title="Not found" />
          <EmptyState title="This resource does not exist">
            <p>
              It may have been removed with its account. Find it in the <Link className="link" href="/functions">functions list</Link>.
            </p>
          </EmptyState>
        </>
      );
    return (
      <>
        <PageHeader title="Resource" />
        <ErrorState error={resource.error} />
      </>
    );
  }
  const resourceData = resource.data;
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-1 text-sm text-zinc-600 dark:text-zinc-400">
        <Link className="hover:underline" href={`/functions${resourceData.kind === "lambda" ? "" : `?kind=${resourceData.kind}`}`}>
          {resourceData.kind === "lambda" ? "Functions" : KIND_LABEL[resourceData.kind]}
        </Link>{" "}
        / <span aria-current="page">{resourceData.name}</span>
      </nav>
      <PageHeader
        title={resourceData.name}
        description={`${KIND_LABEL[resourceData.kind] ?? resourceData.kind} · ${resourceData.account} · ${resourceData.region}${resourceData.deleted ? " · deleted" : ""}`}
        actions={<RangePicker />}
      />
      <ResourceIncidentsBanner resourceId={id} />
      {resourceData.kind === "lambda" && (
        <div className="mb-6">
          <ResourceTotals resourceId={id} rangeQuery={range.query} />
        </div>
      )}
      <ConfigPanel resource={resourceData} />
      <Section title="Metrics">
        <div className="grid gap-3 lg:grid-cols-2 2xl:grid-cols-3" data-testid="resource-charts">
          {specs.map((s) => (
            <MetricChart key={s.title} resourceId={id} rangeQuery={range.query} spec={s} shared={shared} />
          ))}
        </div>
      </Section>
      {resourceData.failedExecutions && (
        <Section title="Failed executions">
          <FailedExecutions executions={resourceData.failedExecutions} />
        </Section>
      )}
      <InsightSlot query={`resource=${id}`} showResource={false} />
      {resourceData.kind === "lambda" && (
        <>
          <Section title="Where the time goes">
            <PerformanceBreakdown resourceId={id} rangeQuery={range.query} />
          </Section>
          <Section title="Deploys">
            <Deploys resourceId={id} rangeQuery={range.query} />
          </Section>
          <Section title="Versions and aliases">
            <VersionsAndAliases resourceId={id} rangeQuery={range.query} config={resourceData.config} />
          </Section>
          <Section title="Error groups">
            <ErrorGroups resourceId={id} rangeQuery={range.query} set={set} />
          </Section>
          <LiveTailSection resourceId={id} name={resourceData.name} />
          <Section title="Invocations">
            <InvocationsTable resourceId={id} rangeQuery={range.query} params={params} set={set} />
          </Section>
        </>
      )}
    </>
  );
}

export function ResourcePage({ id }: { id: number }) {
  return (
    <Suspense fallback={<SkeletonRows rows={5} />}>
      <ResourceBody id={id} />
    </Suspense>
  );
}
