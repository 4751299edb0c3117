import { z } from "zod";

export const SandboxSwitch = z.strictObject({ enabled: z.boolean() });
export type SandboxSwitch = z.infer<typeof SandboxSwitch>;

export const SandboxStateResponse = z.object({
  data: z.object({
    enabled: z.boolean(),
    connected: z.boolean().meta({ description: "The sandbox account exists and is read by the workers" }),
    fixedBy: z.enum(["OSPREY_SANDBOX"]).nullable().meta({ description: "Set when OSPREY_SANDBOX=on|off decides instead of the switch" }),
    startsOnRestart: z.boolean().meta({ description: "Switched on while no sandbox endpoint runs: it starts with the next `osprey start`" }),
  }),
});
