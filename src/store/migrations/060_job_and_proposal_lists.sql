-- Lists beyond the job board: the console's jobs of any status, and a
-- freelancer's own proposals, newest first. Without these a page of closed
-- jobs or of one freelancer's proposals would scan and sort the whole table.

CREATE INDEX jobs_by_status_posted ON jobs (status, posted_at DESC, job_id DESC);
CREATE INDEX jobs_by_posted ON jobs (posted_at DESC, job_id DESC);
CREATE INDEX proposals_by_freelancer_time ON proposals (freelancer_id, submitted_at DESC, proposal_id DESC);
