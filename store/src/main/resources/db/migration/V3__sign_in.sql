-- Interactive sign-in: authorization codes, single sign-on sessions and device authorizations.
-- Codes and cookies are kept as hashes only; instants are epoch milliseconds.

CREATE TABLE authorization_code (
    hash                  VARCHAR(64)   NOT NULL PRIMARY KEY,   -- base64url SHA-256 of the code
    tenant_id             VARCHAR(36)   NOT NULL,
    client_id             VARCHAR(36)   NOT NULL,
    user_id               VARCHAR(36)   NOT NULL,
    redirect_uri          VARCHAR(4000) NOT NULL,
    scope                 VARCHAR(4000) NOT NULL,
    code_challenge        VARCHAR(256),
    code_challenge_method VARCHAR(16),
    nonce                 VARCHAR(4000),
    auth_time             BIGINT        NOT NULL,
    issued_at             BIGINT        NOT NULL,
    expires_at            BIGINT        NOT NULL,
    redeemed_at           BIGINT,
    refresh_family_id     VARCHAR(64)
);
CREATE INDEX authorization_code_expiry ON authorization_code (expires_at);

CREATE TABLE sign_in_session (
    browser_hash  VARCHAR(64)  NOT NULL,                   -- base64url SHA-256 of the session cookie
    tenant_id     VARCHAR(36)  NOT NULL,
    user_id       VARCHAR(36)  NOT NULL,
    auth_time     BIGINT       NOT NULL,
    last_seen_at  BIGINT       NOT NULL,
    PRIMARY KEY (browser_hash, tenant_id, user_id)
);
CREATE INDEX sign_in_session_user ON sign_in_session (tenant_id, user_id);

CREATE TABLE device_code (
    device_hash       VARCHAR(64)   NOT NULL PRIMARY KEY,     -- base64url SHA-256 of the device code
    user_code         VARCHAR(64)   NOT NULL,
    tenant_path       VARCHAR(255)  NOT NULL,
    client_id         VARCHAR(36)   NOT NULL,
    scope             VARCHAR(4000) NOT NULL,
    issued_at         BIGINT        NOT NULL,
    expires_at        BIGINT        NOT NULL,
    interval_seconds  INTEGER       NOT NULL,
    last_polled_at    BIGINT,
    status            VARCHAR(16)   NOT NULL,                 -- PENDING, APPROVED, DECLINED, REDEEMED
    user_tenant_id    VARCHAR(36),
    user_id           VARCHAR(36),
    auth_time         BIGINT
);
CREATE UNIQUE INDEX device_code_user_code ON device_code (user_code);
CREATE INDEX device_code_expiry ON device_code (expires_at);
