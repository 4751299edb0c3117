-- Channel secrets kept apart from the rest of a channel's configuration, in one text column so the
-- same column can later hold ciphertext (AES-256-GCM under OSPREY_SECRET_KEY) without a schema change.
ALTER TABLE "channels" ADD COLUMN "secrets" TEXT;

-- Delivery bookkeeping of the outbox:
--  claim_token     who holds a row in status 'sending' (a result is recorded only by its claimer);
--                  a claim lasts until next_attempt_at, after which another worker may take it again
--  last_attempt_at when the row was last handed to its receiver (the per-channel rate limit counts these)
--  folded_into     the digest row that carried this notice (status 'folded')
--  delivery_info   what the receiver answered (HTTP status, SNS message id, SMTP reply)
ALTER TABLE "notification_outbox" ADD COLUMN "claim_token" UUID;
ALTER TABLE "notification_outbox" ADD COLUMN "last_attempt_at" TIMESTAMPTZ(3);
ALTER TABLE "notification_outbox" ADD COLUMN "folded_into" BIGINT;
ALTER TABLE "notification_outbox" ADD COLUMN "delivery_info" TEXT;

CREATE INDEX "notification_outbox_channel_id_last_attempt_at_idx" ON "notification_outbox"("channel_id", "last_attempt_at");
CREATE INDEX "notification_outbox_folded_into_idx" ON "notification_outbox"("folded_into");
