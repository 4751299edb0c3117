-- Newest-first log search for a common word reads the partitions backwards in time and stops
-- at the first page of matches, instead of collecting every match through the full-text index.
CREATE INDEX "log_events_ts_idx" ON "log_events" ("ts");
