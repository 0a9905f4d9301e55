-- The "as of" snapshot walks a negotiation's revisions in resource order up
-- to an instant: with this index that walk needs no sort, and the instant is
-- checked in the index before a revision's body is read.
-- Keep in step with ../postgres/0002_revisions_negotiation_resource.sql.
CREATE INDEX revisions_negotiation_resource ON revisions (negotiation_id, resource_type, resource_id, revision, at);
