-- Failed attempts per key (a user's authenticator codes) and the smart lockout they set: failures since the last
-- success, and, while locked, the instant (epoch milliseconds) the lock ends.

CREATE TABLE sign_in_lockout (
    lockout_key VARCHAR(400) PRIMARY KEY,
    failures INTEGER NOT NULL,
    locked_until BIGINT
);
