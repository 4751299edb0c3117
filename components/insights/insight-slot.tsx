"use client";

import Link from "next/link";
import { Section } from "../ui/section";
import { InsightList } from "./insight-list";

/** The insight cards of the overview (all resources) or of one resource page, most severe first. */
export function InsightSlot({ query, limit = 6, showResource = true }: { query: string; limit?: number; showResource?: boolean }) {
  return (
    <Section
      title="Insights"
      testId="insights"
      action={
        <Link href="/insights" className="text-sm text-brand-600 hover:underline dark:text-brand-100">
          All insights
        </Link>
      }
    >
      <InsightList query={query} limit={limit} showResource={showResource} />
    </Section>
  );
}
