-- The app that made each request (its client_id, or the app its token names), kept as recorded and lower-case as
-- lookups compare it, so that the recent failures of one app can be listed. Rows written before have none.

ALTER TABLE trace ADD COLUMN client_key VARCHAR(256);
ALTER TABLE trace ADD COLUMN client_id VARCHAR(256);
CREATE INDEX trace_client ON trace (client_key, at);
