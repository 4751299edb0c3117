export const COLORS = {
  blue: "#2f7cf6",
  red: "#e5484d",
  amber: "#f59e0b",
  violet: "#8b5cf6",
  emerald: "#10b981",
  sky: "#0ea5e9",
  pink: "#ec4899",
  teal: "#14b8a6",
  orange: "#f97316",
  lime: "#84cc16",
  zinc: "#a1a1aa",
} as const;

/** Distinct hues for stacked series, in order. */
export const PALETTE = [COLORS.blue, COLORS.violet, COLORS.emerald, COLORS.amber, COLORS.pink, COLORS.sky, COLORS.orange, COLORS.teal, COLORS.lime, COLORS.red];
