import { memo } from "react";

/** A tiny inline trend: plain SVG, cheap enough for a thousand table rows. */
export const Sparkline = memo(function Sparkline({
  values,
  width = 96,
  height = 24,
  className = "text-brand-500",
  label,
}: {
  values: readonly (number | null)[];
  width?: number;
  height?: number;
  className?: string;
  label?: string;
}) {
  const nums = values.map((v) => v ?? 0);
  if (nums.length < 2) return <svg width={width} height={height} aria-hidden className={className} />;
  const max = Math.max(...nums);
  const min = Math.min(0, ...nums);
  const span = max - min || 1;
  const step = width / (nums.length - 1);
  const pts = nums.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - ((v - min) / span) * (height - 4)).toFixed(1)}`);
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} className={className} role={label ? "img" : undefined} aria-label={label} aria-hidden={label ? undefined : true}>
      <polygon points={`0,${height} ${pts.join(" ")} ${width},${height}`} fill="currentColor" opacity={0.12} />
      <polyline points={pts.join(" ")} fill="none" stroke="currentColor" strokeWidth={1.5} strokeLinejoin="round" strokeLinecap="round" />
    </svg>
  );
});
