-- The directory audit log: who changed what in a tenant, and when (consents, grants, app changes). Each tenant keeps
-- its newest entries up to the store's capacity. at is epoch milliseconds; body is the entry as JSON.

CREATE TABLE directory_audit (
    tenant_id VARCHAR(36)  NOT NULL,
    id        VARCHAR(64)  NOT NULL,
    at        BIGINT       NOT NULL,
    body      VARCHAR      NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX directory_audit_at ON directory_audit (tenant_id, at, id);
