import type { LogEventInput } from "@/lib/ingest/lambda-logs";

/**
 * One SnapStart invocation in AWS's documented text format (lambda/latest/dg/snapstart-monitoring): REPORT has
 * no Init Duration but Restore Duration and Billed Restore Duration, and Billed Duration already includes the
 * latter: ceil(574.21) + 239 = 814 ms (AWS-FACTS.md). At 2,048 MB that is 1.628 GB-s.
 */
export function snapStartInvocationEvents(requestId: string, logStreamName: string, start: number): LogEventInput[] {
  return [
    { eventId: `${start}-1`, logStreamName, timestamp: start, message: `START RequestId: ${requestId} Version: $LATEST\n` },
    { eventId: `${start}-2`, logStreamName, timestamp: start + 575, message: `END RequestId: ${requestId}\n` },
    {
      eventId: `${start}-3`,
      logStreamName,
      timestamp: start + 575,
      message:
        `REPORT RequestId: ${requestId}\tDuration: 574.21 ms\tBilled Duration: 814 ms\tMemory Size: 2048 MB\t` +
        `Max Memory Used: 187 MB\tRestore Duration: 421.77 ms\tBilled Restore Duration: 239 ms\t\n`,
    },
  ];
}
