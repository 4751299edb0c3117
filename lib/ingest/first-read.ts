/**
 * A log group, or an account's metrics, read for the first time start this far back. So Osprey's view of a
 * resource begins this long before it first saw the resource, whether or not anything ran in between: the
 * hours a function sat idle after that point were read, and are idle, not missing.
 */
export const FIRST_READ_LOOKBACK_MS = 24 * 3_600_000;
