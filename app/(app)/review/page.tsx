import type { Metadata } from "next";
import { Suspense } from "react";
import { ReviewPage } from "@/components/review/review-page";
import { SkeletonRows } from "@/components/ui/states";

export const metadata: Metadata = { title: "Well-Architected review" };

export default function Page() {
  return (
    <Suspense fallback={<SkeletonRows rows={6} />}>
      <ReviewPage />
    </Suspense>
  );
}
