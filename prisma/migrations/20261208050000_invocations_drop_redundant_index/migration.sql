-- Issue 15 item 5: every index is written for every pushed invocation. (resource_id, request_id) is the
-- leading part of the unique key (resource_id, request_id, attempt, day), which serves every lookup it served
-- (the writer's stored attempts, an invocation's page, the poller's completeness check): the second copy
-- only cost a b-tree insert per invocation, on every partition.
DROP INDEX IF EXISTS "invocations_resource_id_request_id_idx";
