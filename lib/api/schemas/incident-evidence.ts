import { z } from "zod";

export const EvidenceInvocation = z.object({
  requestId: z.string(),
  attempt: z.number(),
  startedAt: z.string().nullable(),
  status: z.string(),
  durationMs: z.number().nullable(),
  errorType: z.string().nullable(),
  errorMessage: z.string().nullable(),
});

export const IncidentEvidence = z.object({
  window: z.object({ from: z.string(), to: z.string() }).meta({
    description: "From the start of the condition window before the incident opened to its resolution (or now)",
  }),
  figures: z
    .object({
      invocations: z.number(),
      failed: z.number().meta({ description: "error + timeout + out of memory + crash, as everywhere in Osprey" }),
      value: z.number().nullable().meta({ description: "The condition's figure over the whole evidence window, in the condition's unit" }),
    })
    .meta({ description: "From the minute rollups of the resource inside the window" }),
  failing: z.object({
    total: z.number(),
    rows: z.array(EvidenceInvocation).meta({ description: "The latest 20 failed invocations in the window" }),
  }),
  topError: z
    .object({ id: z.number(), errorType: z.string(), message: z.string(), topFrame: z.string().nullable(), count: z.number() })
    .nullable()
    .meta({ description: "The resource's error group with the most occurrences in the window" }),
});
export type IncidentEvidence = z.infer<typeof IncidentEvidence>;

export const IncidentEvidenceResponse = z.object({ data: IncidentEvidence });
