export const MIN_MEMORY_MB = 128;
export const MAX_MEMORY_MB = 10_240;
// Lambda takes any size from 128 MB to 10,240 MB in 1 MB steps; we round to 64 MB to keep sizes familiar.
const MEMORY_STEP_MB = 64;

/** Headroom left above the highest use seen, so a heavier-than-usual request does not run out. */
export const MEMORY_HEADROOM = 1.3;

/** The size that fits `usedMB` with 30 % headroom: rounded up to 64 MB, within Lambda's limits. */
export function memoryWithHeadroomMB(usedMB: number): number {
  const rounded = Math.ceil((usedMB * MEMORY_HEADROOM) / MEMORY_STEP_MB) * MEMORY_STEP_MB;
  return Math.min(MAX_MEMORY_MB, Math.max(MIN_MEMORY_MB, rounded));
}
