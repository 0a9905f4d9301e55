-- Issued reports: a report rendered once, its bytes kept with their
-- SHA-256 and the parameters it was asked with. Deleting one (admins
-- only) keeps the row as a record, without the bytes: deleted_at and
-- deleted_by say who and when; issued_by and issued_at are the first
-- entry of its history. Keep in step with ../postgres/0006_issued_reports.sql.
CREATE TABLE issued_reports (
    id             TEXT PRIMARY KEY,
    negotiation_id TEXT NOT NULL,
    title          TEXT NOT NULL,
    format         TEXT NOT NULL,
    as_of          TIMESTAMP,
    since          TIMESTAMP,
    layout         TEXT NOT NULL,
    audience       TEXT NOT NULL,
    handling       TEXT NOT NULL,
    filename       TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size           INTEGER NOT NULL,
    sha256         TEXT NOT NULL,
    issued_by      TEXT NOT NULL,
    issued_at      TIMESTAMP NOT NULL,
    deleted_by     TEXT,
    deleted_at     TIMESTAMP,
    content        BLOB
);
CREATE INDEX issued_reports_negotiation ON issued_reports (negotiation_id, id);
