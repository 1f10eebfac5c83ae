-- Smart lockout grows: each lock that follows another without a success in between lasts twice as long as the one
-- before (up to 32 times the first). lockouts counts the locks since the last success.

ALTER TABLE sign_in_lockout ADD COLUMN lockouts INTEGER DEFAULT 0 NOT NULL;
