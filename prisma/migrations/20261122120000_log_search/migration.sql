-- Log search: a full-text index narrows candidates; exact checks (phrases, JSON fields) run on them.
-- 'simple' keeps identifiers, codes and ids as they are (no stemming, no stop words).
CREATE INDEX "log_events_message_fts_idx" ON "log_events" USING GIN (to_tsvector('simple', "message"));

-- The value at a path of a JSON log line, or NULL when the line is not JSON.
-- (pg_input_is_valid would do without the exception block, but only from Postgres 16.)
CREATE OR REPLACE FUNCTION osprey_json_field(message text, path text[]) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $fn$
BEGIN
  IF left(ltrim(message), 1) <> '{' THEN
    RETURN NULL;
  END IF;
  RETURN message::jsonb #>> path;
EXCEPTION WHEN others THEN
  RETURN NULL;
END
$fn$;
