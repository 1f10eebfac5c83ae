-- What was decided for each request, for diagnosis by request, trace or correlation id. A bounded log: written behind
-- the requests in batches, and pruned to the store's capacity (oldest `at` first) at each write.
-- Ids are kept as recorded, and lower-case as the keys lookups compare; at is epoch microseconds; body is JSON text
-- the store never reads.

CREATE TABLE trace (
    request_key     VARCHAR(256) NOT NULL PRIMARY KEY,
    trace_key       VARCHAR(256),
    correlation_key VARCHAR(256),
    request_id      VARCHAR(256) NOT NULL,
    trace_id        VARCHAR(256),
    correlation_id  VARCHAR(256),
    channel         VARCHAR(8)   NOT NULL,
    at              BIGINT       NOT NULL,
    body            VARCHAR      NOT NULL
);
CREATE INDEX trace_trace ON trace (trace_key);
CREATE INDEX trace_correlation ON trace (correlation_key);
CREATE INDEX trace_at ON trace (at);
