import type { Metadata } from "next";
import { WaitingForDataPage } from "@/components/ui/placeholder-page";

export const metadata: Metadata = { title: "Insights" };

export default function Page() {
  return <WaitingForDataPage title="Insights" description="What is wrong or wasteful, in Well-Architected terms." empty="No insights yet" />;
}
