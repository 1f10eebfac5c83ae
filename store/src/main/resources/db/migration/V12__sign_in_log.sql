-- The sign-in log: every token issued to a user or refused for one, per tenant. Each tenant keeps its newest entries up
-- to the store's capacity and no older than its retention. at is epoch milliseconds (createdDateTime); body is the
-- entry as JSON.

CREATE TABLE sign_in_log (
    tenant_id VARCHAR(36)  NOT NULL,
    id        VARCHAR(64)  NOT NULL,
    at        BIGINT       NOT NULL,
    body      VARCHAR      NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX sign_in_log_at ON sign_in_log (tenant_id, at, id);
