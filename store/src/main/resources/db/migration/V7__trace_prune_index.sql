-- Pruning the trace table walks its rows oldest first, by (at, request_key), over the excess rows only: an index in
-- that order lets it stop there instead of sorting the whole table at every write.
DROP INDEX trace_at;
CREATE INDEX trace_at ON trace (at, request_key);
