-- A party may hold several roles in one negotiation, each once.
CREATE TABLE negotiation_participants_by_role (
    negotiation_id TEXT NOT NULL REFERENCES negotiations (id),
    party_id       TEXT NOT NULL REFERENCES parties (id),
    role           TEXT NOT NULL,
    PRIMARY KEY (negotiation_id, party_id, role)
);
INSERT INTO negotiation_participants_by_role (negotiation_id, party_id, role)
    SELECT negotiation_id, party_id, role FROM negotiation_participants;
DROP TABLE negotiation_participants;
ALTER TABLE negotiation_participants_by_role RENAME TO negotiation_participants;
CREATE INDEX negotiation_participants_party ON negotiation_participants (party_id, negotiation_id);

-- A bloc's members, kept equal to its body's members list: a member cannot
-- be deleted while a bloc counts it, and the cycle rule reads every bloc
-- in one query.
CREATE TABLE party_members (
    bloc_id  TEXT NOT NULL REFERENCES parties (id),
    position INTEGER NOT NULL,
    party_id TEXT NOT NULL REFERENCES parties (id),
    since    TEXT NOT NULL,
    until    TEXT NOT NULL,
    PRIMARY KEY (bloc_id, position)
);
CREATE INDEX party_members_party ON party_members (party_id, bloc_id);
