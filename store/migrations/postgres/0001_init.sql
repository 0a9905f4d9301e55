-- parley schema, PostgreSQL dialect. Keep in step with ../sqlite/0001_init.sql.
-- Ids use the "C" collation so that ORDER BY id and id > cursor agree with
-- byte order on every server, whatever its default collation.

CREATE TABLE parties (
    id         TEXT COLLATE "C" PRIMARY KEY,
    version    INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    name_key   TEXT NOT NULL,
    search     TEXT NOT NULL,
    body       TEXT NOT NULL
);
CREATE UNIQUE INDEX parties_name_key ON parties (name_key);

CREATE TABLE negotiations (
    id         TEXT COLLATE "C" PRIMARY KEY,
    version    INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    status     TEXT NOT NULL,
    search     TEXT NOT NULL,
    body       TEXT NOT NULL
);
CREATE INDEX negotiations_status ON negotiations (status, id);

CREATE TABLE negotiation_participants (
    negotiation_id TEXT COLLATE "C" NOT NULL REFERENCES negotiations (id),
    party_id       TEXT COLLATE "C" NOT NULL REFERENCES parties (id),
    role           TEXT NOT NULL,
    PRIMARY KEY (negotiation_id, party_id)
);
CREATE INDEX negotiation_participants_party ON negotiation_participants (party_id, negotiation_id);

CREATE TABLE rounds (
    id             TEXT COLLATE "C" PRIMARY KEY,
    version        INTEGER NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    negotiation_id TEXT COLLATE "C" NOT NULL REFERENCES negotiations (id),
    host_party_id  TEXT COLLATE "C" REFERENCES parties (id),
    search         TEXT NOT NULL,
    body           TEXT NOT NULL
);
CREATE INDEX rounds_negotiation ON rounds (negotiation_id, id);
CREATE INDEX rounds_host_party ON rounds (host_party_id, id);

CREATE TABLE delegations (
    id             TEXT COLLATE "C" PRIMARY KEY,
    version        INTEGER NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    round_id       TEXT COLLATE "C" NOT NULL REFERENCES rounds (id),
    party_id       TEXT COLLATE "C" NOT NULL REFERENCES parties (id),
    negotiation_id TEXT COLLATE "C" NOT NULL REFERENCES negotiations (id),
    search         TEXT NOT NULL,
    body           TEXT NOT NULL
);
CREATE INDEX delegations_round ON delegations (round_id, id);
CREATE INDEX delegations_party ON delegations (party_id, id);
CREATE INDEX delegations_negotiation ON delegations (negotiation_id, id);

CREATE TABLE topics (
    id             TEXT COLLATE "C" PRIMARY KEY,
    version        INTEGER NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    negotiation_id TEXT COLLATE "C" NOT NULL REFERENCES negotiations (id),
    title_key      TEXT NOT NULL,
    search         TEXT NOT NULL,
    body           TEXT NOT NULL
);
CREATE UNIQUE INDEX topics_title_key ON topics (negotiation_id, title_key);
CREATE INDEX topics_negotiation ON topics (negotiation_id, id);

CREATE TABLE demands (
    id             TEXT COLLATE "C" PRIMARY KEY,
    version        INTEGER NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    negotiation_id TEXT COLLATE "C" NOT NULL REFERENCES negotiations (id),
    party_id       TEXT COLLATE "C" NOT NULL REFERENCES parties (id),
    topic_id       TEXT COLLATE "C" NOT NULL REFERENCES topics (id),
    round_id       TEXT COLLATE "C" REFERENCES rounds (id),
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
    id             TEXT COLLATE "C" PRIMARY KEY,
    version        INTEGER NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    demand_id      TEXT COLLATE "C" NOT NULL REFERENCES demands (id),
    party_id       TEXT COLLATE "C" NOT NULL REFERENCES parties (id),
    negotiation_id TEXT COLLATE "C" NOT NULL REFERENCES negotiations (id),
    status         TEXT NOT NULL,
    search         TEXT NOT NULL,
    body           TEXT NOT NULL
);
CREATE INDEX objections_demand ON objections (demand_id, id);
CREATE INDEX objections_party ON objections (party_id, id);
CREATE INDEX objections_negotiation ON objections (negotiation_id, id);
CREATE INDEX objections_status ON objections (status, id);

CREATE TABLE endorsements (
    id             TEXT COLLATE "C" PRIMARY KEY,
    version        INTEGER NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    demand_id      TEXT COLLATE "C" NOT NULL REFERENCES demands (id),
    party_id       TEXT COLLATE "C" NOT NULL REFERENCES parties (id),
    negotiation_id TEXT COLLATE "C" NOT NULL REFERENCES negotiations (id),
    search         TEXT NOT NULL,
    body           TEXT NOT NULL
);
CREATE INDEX endorsements_demand ON endorsements (demand_id, id);
CREATE INDEX endorsements_party ON endorsements (party_id, id);
CREATE INDEX endorsements_negotiation ON endorsements (negotiation_id, id);

CREATE TABLE revisions (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    resource_type  TEXT NOT NULL,
    resource_id    TEXT COLLATE "C" NOT NULL,
    revision       INTEGER NOT NULL,
    action         TEXT NOT NULL,
    actor          TEXT NOT NULL,
    at             TIMESTAMPTZ NOT NULL,
    negotiation_id TEXT COLLATE "C",
    body           TEXT NOT NULL
);
CREATE UNIQUE INDEX revisions_resource ON revisions (resource_type, resource_id, revision);
CREATE INDEX revisions_negotiation_at ON revisions (negotiation_id, at);

CREATE TABLE users (
    id            TEXT COLLATE "C" PRIMARY KEY,
    username      TEXT NOT NULL,
    username_key  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    version       INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_username_key ON users (username_key);

CREATE TABLE tokens (
    token_hash TEXT COLLATE "C" PRIMARY KEY,
    user_id    TEXT COLLATE "C" NOT NULL REFERENCES users (id),
    kind       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX tokens_user ON tokens (user_id);

CREATE TABLE login_failures (
    id  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key TEXT NOT NULL,
    at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);
