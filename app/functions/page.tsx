import type { Metadata } from "next";
import { WaitingForDataPage } from "@/components/ui/placeholder-page";

export const metadata: Metadata = { title: "Functions" };

export default function Page() {
  return <WaitingForDataPage title="Functions" description="Every Lambda function with its invocations, errors, durations, cold starts and cost." empty="No functions yet" />;
}
