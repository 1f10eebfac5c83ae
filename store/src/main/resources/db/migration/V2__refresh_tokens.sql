-- Refresh tokens, kept as hashes only, grouped in families for rotation and revocation.
CREATE TABLE refresh_token (
    hash          VARCHAR(64)  NOT NULL PRIMARY KEY,   -- base64url SHA-256 of the token
    family_id     VARCHAR(64)  NOT NULL,
    tenant_id     VARCHAR(36)  NOT NULL,
    client_id     VARCHAR(36)  NOT NULL,
    user_id       VARCHAR(36)  NOT NULL,
    scope         VARCHAR(4000) NOT NULL,
    issued_at     BIGINT       NOT NULL,
    last_used_at  BIGINT       NOT NULL,
    replaced_at   BIGINT,
    revoked_at    BIGINT
);
CREATE INDEX refresh_token_family ON refresh_token (family_id);
CREATE INDEX refresh_token_user ON refresh_token (tenant_id, user_id);
