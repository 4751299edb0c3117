import { z } from "zod";
import { PolicyInput } from "./alerts";

/** The body of creating a policy; the name may be left out (nothing is saved). */
export const BacktestInput = z.preprocess((v) => (v !== null && typeof v === "object" && !Array.isArray(v) && !("name" in v) ? { ...v, name: "backtest" } : v), PolicyInput);
export type BacktestInput = z.infer<typeof BacktestInput>;

export const BacktestView = z.object({
  from: z.string(),
  to: z.string(),
  coveredFrom: z.string().meta({ description: "Where the minute rollups the replay reads start (OSPREY_RETENTION_DAYS): before it only hour rollups exist" }),
  incidents: z.number().meta({ description: "Incidents the policy would have opened in [from, to]; flapping re-opens held back as live" }),
  resources: z.array(
    z.object({
      resourceId: z.number(),
      name: z.string(),
      incidents: z.number(),
      firstOpenedAt: z.string(),
      lastOpenedAt: z.string(),
      peakValue: z.number().nullable().meta({ description: "The highest value while firing, as evaluated (rates are shares 0..1)" }),
    }),
  ),
  evaluable: z.boolean().meta({ description: "false when the condition is not computed from the rollups; reason says why" }),
  reason: z.string().optional(),
});
export type BacktestView = z.infer<typeof BacktestView>;
