-- Failed logins are counted by the shared rate limiter (rate_events) since the
-- check and the count became one atomic step; their own table is gone.
DROP TABLE login_failures;

-- One "whole plan" follow per person: NULLs never collide in a unique index, so
-- concurrent follows once made two rows (and two notifications).
DELETE FROM follows WHERE commitment_id IS NULL AND id NOT IN
    (SELECT MIN(id) FROM follows WHERE commitment_id IS NULL GROUP BY user_id, plan_id);
CREATE UNIQUE INDEX follows_user_whole_plan ON follows (user_id, plan_id) WHERE commitment_id IS NULL;

-- TRUNCATE bypasses row triggers: refuse it too, so the audit log stays append-only.
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
