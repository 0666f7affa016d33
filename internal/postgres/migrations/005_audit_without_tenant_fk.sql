-- The audit trail keeps its tenant id without a foreign key, as it already
-- keeps its session, user and batch ids: it is append-only, every row is
-- written with the tenant of the change it records in the same transaction,
-- and a record should outlive what it describes. The per-row check cost
-- PostgreSQL a trigger call per audited pair: about 2.7 s of a
-- 1,000 x 1,000 multi-invite (see docs/perf.md).

ALTER TABLE audit_events DROP CONSTRAINT audit_events_tenant_id_fkey;
