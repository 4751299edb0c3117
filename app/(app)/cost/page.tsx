import type { Metadata } from "next";
import { CostPage } from "@/components/cost/cost-page";

export const metadata: Metadata = { title: "Cost" };

export default function Page() {
  return <CostPage />;
}
