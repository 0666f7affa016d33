-- The audit trail keeps its tenant id without a foreign key, as it already
-- keeps its session, user and batch ids: it is append-only, every row is
-- written with the tenant of the change it records in the same transaction,
-- and a record should outlive what it describes. (The same change as the
-- PostgreSQL store's; SQLite cannot drop a constraint, so the table is
-- rebuilt. Nothing references audit_events.)

CREATE TABLE audit_events_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    actor_id   INTEGER,
    action     TEXT NOT NULL,
    session_id INTEGER,
    user_id    INTEGER,
    before     TEXT NOT NULL DEFAULT '',
    after      TEXT NOT NULL DEFAULT '',
    batch_id   INTEGER
);
INSERT INTO audit_events_new (id, tenant_id, at, actor_id, action, session_id, user_id, before, after, batch_id)
    SELECT id, tenant_id, at, actor_id, action, session_id, user_id, before, after, batch_id FROM audit_events;
DROP TABLE audit_events;
ALTER TABLE audit_events_new RENAME TO audit_events;
CREATE INDEX audit_events_tenant ON audit_events (tenant_id, id);
CREATE INDEX audit_events_session ON audit_events (session_id) WHERE session_id IS NOT NULL;
CREATE INDEX audit_events_user ON audit_events (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX audit_events_batch ON audit_events (batch_id) WHERE batch_id IS NOT NULL;
