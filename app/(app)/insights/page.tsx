import type { Metadata } from "next";
import { Suspense } from "react";
import { InsightsPage } from "@/components/insights/insights-page";
import { SkeletonRows } from "@/components/ui/states";

export const metadata: Metadata = { title: "Insights" };

export default function Page() {
  return (
    <Suspense fallback={<SkeletonRows rows={6} />}>
      <InsightsPage />
    </Suspense>
  );
}
