import type { Metadata } from "next";
import { WaitingForDataPage } from "@/components/ui/placeholder-page";

export const metadata: Metadata = { title: "Cost" };

export default function Page() {
  return <WaitingForDataPage title="Cost" description="What each function costs, how it trends, and what it would cost at another memory size." empty="No cost data yet" />;
}
