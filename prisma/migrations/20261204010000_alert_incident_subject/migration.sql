-- Incidents of conditions without a resource (ingest_stale: an account and region) carry a subject
-- key instead (e.g. 'account:3/eu-west-1'); resource_id is NULL for them. One incident that is not
-- resolved per (policy, resource or subject): the partial unique index is widened to the subject.
ALTER TABLE "incidents" ADD COLUMN "subject" TEXT;

DROP INDEX "incidents_one_open_key";
CREATE UNIQUE INDEX "incidents_one_open_key" ON "incidents"("policy_id", COALESCE("resource_id", -1), COALESCE("subject", '')) WHERE "state" <> 'resolved';
