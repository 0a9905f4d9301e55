-- Richer arguments and guards against duplicates.
-- Keep in step with ../sqlite/0005_rebuttals.sql.
--
-- party_names holds every party's name and aliases, folded (NFKC and full
-- case folding, domain.FoldName), one row each: its primary key makes a
-- name or alias that is another party's name or alias impossible even when
-- two writers race. delegation_seats does the same for one delegation per
-- party and round. The Go step of this migration fills both from the rows
-- already stored; where stored data already breaks a rule the first
-- record keeps the name or the seat, and the next edit of the other one is
-- refused until it is put right.
CREATE TABLE party_names (
    name_key TEXT COLLATE "C" PRIMARY KEY,
    party_id TEXT COLLATE "C" NOT NULL REFERENCES parties (id) ON DELETE CASCADE
);
CREATE INDEX party_names_party ON party_names (party_id);

CREATE TABLE delegation_seats (
    round_id      TEXT COLLATE "C" NOT NULL REFERENCES rounds (id),
    party_id      TEXT COLLATE "C" NOT NULL REFERENCES parties (id),
    delegation_id TEXT COLLATE "C" NOT NULL REFERENCES delegations (id) ON DELETE CASCADE,
    PRIMARY KEY (round_id, party_id)
);
CREATE INDEX delegation_seats_delegation ON delegation_seats (delegation_id);

-- Topics carry a category of the shared taxonomy, so that demands compare
-- across negotiations.
ALTER TABLE topics ADD COLUMN category TEXT;
CREATE INDEX topics_category ON topics (category, id);

-- A demand may answer another demand of its topic.
ALTER TABLE demands ADD COLUMN responds_to_id TEXT COLLATE "C" REFERENCES demands (id);
CREATE INDEX demands_responds_to ON demands (responds_to_id, id);

-- Objections and endorsements may name the round they were stated in.
ALTER TABLE objections ADD COLUMN round_id TEXT COLLATE "C" REFERENCES rounds (id);
CREATE INDEX objections_round ON objections (round_id, id);
ALTER TABLE endorsements ADD COLUMN round_id TEXT COLLATE "C" REFERENCES rounds (id);
CREATE INDEX endorsements_round ON endorsements (round_id, id);

-- A party's answer to an objection.
CREATE TABLE rebuttals (
    id             TEXT COLLATE "C" PRIMARY KEY,
    version        INTEGER NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    objection_id   TEXT COLLATE "C" NOT NULL REFERENCES objections (id),
    party_id       TEXT COLLATE "C" NOT NULL REFERENCES parties (id),
    negotiation_id TEXT COLLATE "C" NOT NULL REFERENCES negotiations (id),
    round_id       TEXT COLLATE "C" REFERENCES rounds (id),
    search         TEXT NOT NULL,
    body           TEXT NOT NULL
);
CREATE INDEX rebuttals_objection ON rebuttals (objection_id, id);
CREATE INDEX rebuttals_party ON rebuttals (party_id, id);
CREATE INDEX rebuttals_negotiation ON rebuttals (negotiation_id, id);
CREATE INDEX rebuttals_round ON rebuttals (round_id, id);
