-- Who created each domain row an operator's request writes (docs/operators.md, "Who wrote what"), like
-- jobs and promo codes in 071: the columns take the transaction-local settings connects.actor and
-- connects.actor_role that the server sets for an operator's request, and stay null for a freelancer's own
-- writes, the scheduler and the CLI. Existing rows stay null. The default is set after the column is added,
-- so adding it rewrites nothing.

ALTER TABLE freelancers ADD COLUMN created_by text;
ALTER TABLE freelancers ADD COLUMN created_by_role text;
ALTER TABLE freelancers ALTER COLUMN created_by SET DEFAULT nullif(current_setting('connects.actor', true), '');
ALTER TABLE freelancers ALTER COLUMN created_by_role SET DEFAULT nullif(current_setting('connects.actor_role', true), '');

ALTER TABLE proposals ADD COLUMN created_by text;
ALTER TABLE proposals ADD COLUMN created_by_role text;
ALTER TABLE proposals ALTER COLUMN created_by SET DEFAULT nullif(current_setting('connects.actor', true), '');
ALTER TABLE proposals ALTER COLUMN created_by_role SET DEFAULT nullif(current_setting('connects.actor_role', true), '');

ALTER TABLE proposal_interactions ADD COLUMN created_by text;
ALTER TABLE proposal_interactions ADD COLUMN created_by_role text;
ALTER TABLE proposal_interactions ALTER COLUMN created_by SET DEFAULT nullif(current_setting('connects.actor', true), '');
ALTER TABLE proposal_interactions ALTER COLUMN created_by_role SET DEFAULT nullif(current_setting('connects.actor_role', true), '');

ALTER TABLE interviews ADD COLUMN created_by text;
ALTER TABLE interviews ADD COLUMN created_by_role text;
ALTER TABLE interviews ALTER COLUMN created_by SET DEFAULT nullif(current_setting('connects.actor', true), '');
ALTER TABLE interviews ALTER COLUMN created_by_role SET DEFAULT nullif(current_setting('connects.actor_role', true), '');

ALTER TABLE purchases ADD COLUMN created_by text;
ALTER TABLE purchases ADD COLUMN created_by_role text;
ALTER TABLE purchases ALTER COLUMN created_by SET DEFAULT nullif(current_setting('connects.actor', true), '');
ALTER TABLE purchases ALTER COLUMN created_by_role SET DEFAULT nullif(current_setting('connects.actor_role', true), '');

ALTER TABLE freelancer_tokens ADD COLUMN created_by text;
ALTER TABLE freelancer_tokens ADD COLUMN created_by_role text;
ALTER TABLE freelancer_tokens ALTER COLUMN created_by SET DEFAULT nullif(current_setting('connects.actor', true), '');
ALTER TABLE freelancer_tokens ALTER COLUMN created_by_role SET DEFAULT nullif(current_setting('connects.actor_role', true), '');

ALTER TABLE webhook_endpoints ADD COLUMN created_by text;
ALTER TABLE webhook_endpoints ADD COLUMN created_by_role text;
ALTER TABLE webhook_endpoints ALTER COLUMN created_by SET DEFAULT nullif(current_setting('connects.actor', true), '');
ALTER TABLE webhook_endpoints ALTER COLUMN created_by_role SET DEFAULT nullif(current_setting('connects.actor_role', true), '');
