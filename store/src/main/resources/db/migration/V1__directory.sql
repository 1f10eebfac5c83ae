-- Consentry's schema. The same SQL runs on H2 2.x and PostgreSQL 15+.
-- Directory objects are kept as Graph-shaped JSON documents (what the tenant file holds), with the
-- columns the finders need beside them; instants are epoch milliseconds.

CREATE TABLE tenant (
    id          VARCHAR(36)  NOT NULL PRIMARY KEY,
    body        VARCHAR      NOT NULL
);

CREATE TABLE tenant_domain (
    domain      VARCHAR(255) NOT NULL PRIMARY KEY,   -- lower-case; a domain belongs to one tenant
    tenant_id   VARCHAR(36)  NOT NULL REFERENCES tenant (id) ON DELETE CASCADE
);
CREATE INDEX tenant_domain_tenant ON tenant_domain (tenant_id);

CREATE TABLE directory_object (
    tenant_id   VARCHAR(36)  NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    kind        VARCHAR(40)  NOT NULL,
    id          VARCHAR(128) NOT NULL,               -- lower-case
    seq         INTEGER      NOT NULL,               -- order within the tenant, kept for export
    lookup_key  VARCHAR(320),                        -- app id, lower-case UPN, principal id, client id
    body        VARCHAR      NOT NULL,
    PRIMARY KEY (tenant_id, kind, id)
);
CREATE INDEX directory_object_lookup ON directory_object (tenant_id, kind, lookup_key);
CREATE INDEX directory_object_any_tenant ON directory_object (kind, lookup_key);

CREATE TABLE service_principal_name (
    tenant_id   VARCHAR(36)  NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    name        VARCHAR(512) NOT NULL,               -- lower-case, without a trailing slash
    sp_id       VARCHAR(128) NOT NULL,
    PRIMARY KEY (tenant_id, name, sp_id)
);

CREATE TABLE group_member (
    tenant_id   VARCHAR(36)  NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    group_id    VARCHAR(128) NOT NULL,
    member_id   VARCHAR(128) NOT NULL,
    PRIMARY KEY (tenant_id, group_id, member_id)
);
CREATE INDEX group_member_member ON group_member (tenant_id, member_id);

CREATE TABLE signing_key (
    kid         VARCHAR(128) NOT NULL PRIMARY KEY,
    status      VARCHAR(16)  NOT NULL,
    private_key VARCHAR      NOT NULL,
    certificate VARCHAR      NOT NULL,
    created_at  BIGINT       NOT NULL
);

CREATE TABLE local_authority (
    id              INTEGER  NOT NULL PRIMARY KEY CHECK (id = 1),
    certificate_pem VARCHAR  NOT NULL,
    private_key_pem VARCHAR  NOT NULL,
    created_at      BIGINT   NOT NULL
);

CREATE TABLE used_assertion (
    assertion_key VARCHAR(600) NOT NULL PRIMARY KEY,
    expires_at    BIGINT       NOT NULL
);
CREATE INDEX used_assertion_expiry ON used_assertion (expires_at);

-- Rows locked with SELECT ... FOR UPDATE to serialise writes that must not race across nodes.
CREATE TABLE store_lock (
    name VARCHAR(40) NOT NULL PRIMARY KEY
);
INSERT INTO store_lock (name) VALUES ('signing_key');
