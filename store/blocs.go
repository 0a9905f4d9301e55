package store

import (
	"fmt"

	"gorm.io/gorm"

	"github.com/parley/parley/domain"
)

// syncMembers keeps party_members equal to a bloc's members list.
func syncMembers(tx *gorm.DB, p *domain.Party) error {
	if err := tx.Exec("DELETE FROM party_members WHERE bloc_id = ?", p.ID).Error; err != nil {
		return err
	}
	for i, m := range p.Members {
		if err := tx.Exec("INSERT INTO party_members (bloc_id, position, party_id, since, until) VALUES (?, ?, ?, ?, ?)",
			p.ID, i, m.PartyID, m.Since, m.Until).Error; err != nil {
			return err
		}
	}
	return nil
}

// blocGraph reads every stored bloc's members in one query.
func blocGraph(tx *gorm.DB) (domain.BlocGraph, error) {
	rows, err := tx.Raw("SELECT bloc_id, party_id FROM party_members ORDER BY bloc_id, position").Rows()
	if err != nil {
		return nil, fmt.Errorf("store: read bloc members: %w", err)
	}
	defer rows.Close()
	g := domain.BlocGraph{}
	for rows.Next() {
		var bloc, member string
		if err := rows.Scan(&bloc, &member); err != nil {
			return nil, fmt.Errorf("store: read bloc members: %w", err)
		}
		g[bloc] = append(g[bloc], member)
	}
	return g, rows.Err()
}

// checkBlocCycle refuses a bloc that would be in its own membership chain,
// naming the member that leads back to it. A new bloc has no id yet, so no
// stored bloc can contain it: only a change can close a cycle.
func checkBlocCycle(tx *gorm.DB, p *domain.Party, bad map[string]bool, errs *domain.FieldErrors) error {
	if p.ID == "" || len(p.Members) == 0 {
		return nil
	}
	g, err := blocGraph(tx)
	if err != nil {
		return err
	}
	delete(g, p.ID)
	if i := domain.BlocCycle(p.ID, p.Members, g); i >= 0 {
		field := fmt.Sprintf("members[%d].party_id", i)
		if !bad[field] {
			errs.Add(field, "would put this bloc in its own membership chain: a bloc cannot contain itself, directly or through another bloc")
		}
	}
	return nil
}

// importMembers fills party_members from imported blocs once every party
// is in, refusing a membership cycle as a write would.
func importMembers(tx *gorm.DB, parties []*domain.Party) error {
	g := domain.BlocGraph{}
	for _, p := range parties {
		for _, m := range p.Members {
			g[p.ID] = append(g[p.ID], m.PartyID)
		}
	}
	for _, p := range parties {
		if len(p.Members) == 0 {
			continue
		}
		others := make(domain.BlocGraph, len(g))
		for k, v := range g {
			if k != p.ID {
				others[k] = v
			}
		}
		if i := domain.BlocCycle(p.ID, p.Members, others); i >= 0 {
			return fmt.Errorf("party %s: members[%d] puts the bloc in its own membership chain", p.ID, i)
		}
		if err := syncMembers(tx, p); err != nil {
			if constraintOf(err) == foreignKeyViolation {
				return fmt.Errorf("party %s has a member not in the document", p.ID)
			}
			return fmt.Errorf("party %s: members: %w", p.ID, err)
		}
	}
	return nil
}
