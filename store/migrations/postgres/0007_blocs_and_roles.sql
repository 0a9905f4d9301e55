-- A party may hold several roles in one negotiation, each once.
ALTER TABLE negotiation_participants DROP CONSTRAINT negotiation_participants_pkey;
ALTER TABLE negotiation_participants ADD PRIMARY KEY (negotiation_id, party_id, role);

-- A bloc's members, kept equal to its body's members list: a member cannot
-- be deleted while a bloc counts it, and the cycle rule reads every bloc
-- in one query.
CREATE TABLE party_members (
    bloc_id  TEXT COLLATE "C" NOT NULL REFERENCES parties (id),
    position INTEGER NOT NULL,
    party_id TEXT COLLATE "C" NOT NULL REFERENCES parties (id),
    since    TEXT NOT NULL,
    until    TEXT NOT NULL,
    PRIMARY KEY (bloc_id, position)
);
CREATE INDEX party_members_party ON party_members (party_id, bloc_id);
