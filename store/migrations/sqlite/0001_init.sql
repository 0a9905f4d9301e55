-- parley schema, SQLite dialect. Keep in step with ../postgres/0001_init.sql.
-- Times are TIMESTAMP so that the driver hands them back as time.Time; they
-- are always written in UTC, so their text sorts in time order.

CREATE TABLE parties (
    id         TEXT PRIMARY KEY,
    version    INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    name_key   TEXT NOT NULL,
    search     TEXT NOT NULL,
    body       TEXT NOT NULL
);
CREATE UNIQUE INDEX parties_name_key ON parties (name_key);

CREATE TABLE negotiations (
    id         TEXT PRIMARY KEY,
    version    INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    status     TEXT NOT NULL,
    search     TEXT NOT NULL,
    body       TEXT NOT NULL
);
CREATE INDEX negotiations_status ON negotiations (status, id);

CREATE TABLE negotiation_participants (
    negotiation_id TEXT NOT NULL REFERENCES negotiations (id),
    party_id       TEXT NOT NULL REFERENCES parties (id),
    role           TEXT NOT NULL,
    PRIMARY KEY (negotiation_id, party_id)
);
CREATE INDEX negotiation_participants_party ON negotiation_participants (party_id, negotiation_id);

CREATE TABLE rounds (
    id             TEXT PRIMARY KEY,
    version        INTEGER NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    negotiation_id TEXT NOT NULL REFERENCES negotiations (id),
    host_party_id  TEXT REFERENCES parties (id),
    search         TEXT NOT NULL,
    body           TEXT NOT NULL
);
CREATE INDEX rounds_negotiation ON rounds (negotiation_id, id);
CREATE INDEX rounds_host_party ON rounds (host_party_id, id);

CREATE TABLE delegations (
    id             TEXT PRIMARY KEY,
    version        INTEGER NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    round_id       TEXT NOT NULL REFERENCES rounds (id),
    party_id       TEXT NOT NULL REFERENCES parties (id),
    negotiation_id TEXT NOT NULL REFERENCES negotiations (id),
    search         TEXT NOT NULL,
    body           TEXT NOT NULL
);
CREATE INDEX delegations_round ON delegations (round_id, id);
CREATE INDEX delegations_party ON delegations (party_id, id);
CREATE INDEX delegations_negotiation ON delegations (negotiation_id, id);

CREATE TABLE topics (
    id             TEXT PRIMARY KEY,
    version        INTEGER NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    negotiation_id TEXT NOT NULL REFERENCES negotiations (id),
    title_key      TEXT NOT NULL,
    search         TEXT NOT NULL,
    body           TEXT NOT NULL
);
CREATE UNIQUE INDEX topics_title_key ON topics (negotiation_id, title_key);
CREATE INDEX topics_negotiation ON topics (negotiation_id, id);

CREATE TABLE demands (
    id             TEXT PRIMARY KEY,
    version        INTEGER NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    negotiation_id TEXT NOT NULL REFERENCES negotiations (id),
    party_id       TEXT NOT NULL REFERENCES parties (id),
    topic_id       TEXT NOT NULL REFERENCES topics (id),
    round_id       TEXT REFERENCES rounds (id),
    status         TEXT NOT NULL,
    search         TEXT NOT NULL,
    body           TEXT NOT NULL
);
CREATE INDEX demands_negotiation ON demands (negotiation_id, id);
CREATE INDEX demands_party ON demands (party_id, id);
CREATE INDEX demands_topic ON demands (topic_id, id);
CREATE INDEX demands_round ON demands (round_id, id);
CREATE INDEX demands_status ON demands (status, id);

CREATE TABLE objections (
    id             TEXT PRIMARY KEY,
    version        INTEGER NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    demand_id      TEXT NOT NULL REFERENCES demands (id),
    party_id       TEXT NOT NULL REFERENCES parties (id),
    negotiation_id TEXT NOT NULL REFERENCES negotiations (id),
    status         TEXT NOT NULL,
    search         TEXT NOT NULL,
    body           TEXT NOT NULL
);
CREATE INDEX objections_demand ON objections (demand_id, id);
CREATE INDEX objections_party ON objections (party_id, id);
CREATE INDEX objections_negotiation ON objections (negotiation_id, id);
CREATE INDEX objections_status ON objections (status, id);

CREATE TABLE endorsements (
    id             TEXT PRIMARY KEY,
    version        INTEGER NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    demand_id      TEXT NOT NULL REFERENCES demands (id),
    party_id       TEXT NOT NULL REFERENCES parties (id),
    negotiation_id TEXT NOT NULL REFERENCES negotiations (id),
    search         TEXT NOT NULL,
    body           TEXT NOT NULL
);
CREATE INDEX endorsements_demand ON endorsements (demand_id, id);
CREATE INDEX endorsements_party ON endorsements (party_id, id);
CREATE INDEX endorsements_negotiation ON endorsements (negotiation_id, id);

CREATE TABLE revisions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    resource_type  TEXT NOT NULL,
    resource_id    TEXT NOT NULL,
    revision       INTEGER NOT NULL,
    action         TEXT NOT NULL,
    actor          TEXT NOT NULL,
    at             TIMESTAMP NOT NULL,
    negotiation_id TEXT,
    body           TEXT NOT NULL
);
CREATE UNIQUE INDEX revisions_resource ON revisions (resource_type, resource_id, revision);
CREATE INDEX revisions_negotiation_at ON revisions (negotiation_id, at);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL,
    username_key  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_username_key ON users (username_key);

CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    kind       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX tokens_user ON tokens (user_id);

CREATE TABLE login_failures (
    id  INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    at  TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);
