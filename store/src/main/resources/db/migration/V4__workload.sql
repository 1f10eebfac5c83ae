-- Users' mail, calendar and files: Graph-shaped JSON objects per owner, seeded from the tenant file's users
-- when a tenant is replaced (deleting the tenant row removes them). created_at is epoch milliseconds.

CREATE TABLE workload_item (
    tenant_id   VARCHAR(36)  NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    owner_id    VARCHAR(36)  NOT NULL,
    kind        VARCHAR(16)  NOT NULL,
    id          VARCHAR(512) NOT NULL,
    created_at  BIGINT       NOT NULL,
    body        VARCHAR      NOT NULL,
    PRIMARY KEY (tenant_id, owner_id, kind, id)
);
CREATE INDEX workload_item_owner ON workload_item (tenant_id, owner_id, kind, created_at);
