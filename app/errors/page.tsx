import type { Metadata } from "next";
import { WaitingForDataPage } from "@/components/ui/placeholder-page";

export const metadata: Metadata = { title: "Errors" };

export default function Page() {
  return <WaitingForDataPage title="Errors" description="Unhandled errors grouped by kind, with where and when they happen." empty="No errors recorded yet" />;
}
