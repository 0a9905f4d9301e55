-- Negotiation time: every revision says when it took effect in the talks
-- (effective_at), why (change_note) and who reported it (change_citations,
-- a JSON list). The Go step of this migration (negotiationTimeBackfill)
-- dates the existing revisions and adds effective_at to every stored body.
-- Keep in step with ../postgres/0003_negotiation_time.sql.
ALTER TABLE revisions ADD COLUMN effective_at TIMESTAMP;
ALTER TABLE revisions ADD COLUMN change_note TEXT;
ALTER TABLE revisions ADD COLUMN change_citations TEXT;
-- The "as of" walk: a negotiation's revisions in resource order, each
-- resource's in timeline order, both instants checked in the index.
CREATE INDEX revisions_negotiation_timeline ON revisions (negotiation_id, resource_type, resource_id, effective_at, revision, at, action);
-- The changes view: a negotiation's revisions in negotiation-time order.
CREATE INDEX revisions_negotiation_effective ON revisions (negotiation_id, effective_at, id);
DROP INDEX revisions_negotiation_resource;
