package reporttest

import (
	"context"
	"fmt"
	"time"

	"github.com/parley/parley/domain"
)

// Talks is a small negotiation entered after the fact, as an analyst
// backfills one: three rounds, four topics, positions that move between
// rounds with dated changes, an objection raised and resolved, a demand
// withdrawn. Its parties are fictitious. The timeline tests of report and
// ui read it.
type Talks struct {
	NegotiationID string
	Rounds        []string // round ids, in date order
	Topics        map[string]string
	Demands       map[string]string
	Parties       map[string]string
}

// TalksDay is a day of the talks in 2025, as an instant at its start.
func TalksDay(month time.Month, day int) time.Time {
	return time.Date(2025, month, day, 0, 0, 0, 0, time.UTC)
}

// LoadTalks writes the talks through st.
func LoadTalks(ctx context.Context, st domain.Store) (*Talks, error) {
	l := &talksLoader{ctx: ctx, st: st, t: &Talks{Topics: map[string]string{}, Demands: map[string]string{}, Parties: map[string]string{}}}
	l.load()
	if l.err != nil {
		return nil, fmt.Errorf("load the talks: %w", l.err)
	}
	return l.t, nil
}

type talksLoader struct {
	ctx context.Context
	st  domain.Store
	t   *Talks
	err error
}

func (l *talksLoader) create(r domain.Resource) string {
	if l.err == nil {
		l.err = l.st.Create(l.ctx, "analyst", r, domain.Dating{})
	}
	return r.Base().ID
}

// move changes a resource as of a date of the talks, with a note.
func (l *talksLoader) move(k domain.Kind, id string, on time.Time, note string, change func(domain.Resource)) {
	if l.err != nil {
		return
	}
	_, l.err = l.st.Update(l.ctx, "analyst", k, id, 0, domain.Dating{EffectiveAt: on, Note: note, Citations: []domain.Citation{}},
		func(cur domain.Resource) (domain.Resource, error) {
			change(cur)
			return cur, nil
		})
}

func (l *talksLoader) terms(id string, on time.Time, note string, terms map[string]any) {
	l.move(domain.KindDemand, id, on, note, func(r domain.Resource) {
		for k, v := range terms {
			r.(*domain.Demand).Terms[k] = v
		}
	})
}

func (l *talksLoader) status(id string, on time.Time, status string) {
	l.move(domain.KindDemand, id, on, "status "+status, func(r domain.Resource) { r.(*domain.Demand).State = domain.DemandStatus(status) })
}

func (l *talksLoader) load() {
	t := l.t
	for _, name := range []string{"Northland", "Southland", "Mediatia"} {
		t.Parties[name] = l.create(&domain.Party{Name: name, PartyKind: "state"})
	}
	t.NegotiationID = l.create(&domain.Negotiation{Title: "Northland–Southland ceasefire talks", State: "active", StartedOn: "2025-01-06",
		Participants: []domain.Participant{{PartyID: t.Parties["Northland"], Role: "principal"},
			{PartyID: t.Parties["Southland"], Role: "principal"}, {PartyID: t.Parties["Mediatia"], Role: "mediator"}}})
	for _, r := range [][3]string{{"Round 1, Doha", "2025-01-07", "2025-01-09"}, {"Round 2, Cairo", "2025-02-03", "2025-02-05"}, {"Round 3, Doha", "2025-03-01", "2025-03-02"}} {
		t.Rounds = append(t.Rounds, l.create(&domain.Round{NegotiationID: t.NegotiationID, Title: r[0], StartsOn: r[1], EndsOn: r[2],
			Format: "mediated", HostPartyID: t.Parties["Mediatia"]}))
	}
	for i, title := range []string{"Ceasefire", "Prisoner exchange", "Buffer zone", "Humanitarian aid"} {
		t.Topics[title] = l.create(&domain.Topic{NegotiationID: t.NegotiationID, Title: title, SortOrder: i + 1})
	}
	demand := func(key, party, topic, title string, terms map[string]any) {
		t.Demands[key] = l.create(&domain.Demand{NegotiationID: t.NegotiationID, PartyID: t.Parties[party], TopicID: t.Topics[topic],
			RoundID: t.Rounds[0], Title: title, Terms: terms, StatedOn: "2025-01-07"})
	}
	demand("n-ceasefire", "Northland", "Ceasefire", "A ceasefire of limited length", map[string]any{"duration_days": 30.0})
	demand("s-ceasefire", "Southland", "Ceasefire", "A long ceasefire", map[string]any{"duration_days": 90.0})
	demand("n-prisoners", "Northland", "Prisoner exchange", "Prisoners released in phase 1", map[string]any{"prisoners_phase_1": 1000.0})
	demand("s-prisoners", "Southland", "Prisoner exchange", "Prisoners released in phase 1", map[string]any{"prisoners_phase_1": 3000.0})
	demand("n-buffer", "Northland", "Buffer zone", "A buffer zone along the line", map[string]any{"buffer_zone_m": 1000.0})
	demand("s-buffer", "Southland", "Buffer zone", "No buffer zone wider than 300 m", map[string]any{"buffer_zone_m": 300.0})
	demand("s-aid", "Southland", "Humanitarian aid", "Aid trucks every day", map[string]any{"trucks_per_day": 600.0})
	objection := l.create(&domain.Objection{DemandID: t.Demands["s-ceasefire"], PartyID: t.Parties["Northland"],
		Grounds: "Too long to verify.", Type: "rejection", State: "standing", StatedOn: "2025-01-08"})
	// Round 2 moves, then round 3; the round-2 prisoner move is entered
	// last, as a move learned later.
	l.terms(t.Demands["n-ceasefire"], TalksDay(time.February, 4), "offered six weeks", map[string]any{"duration_days": 42.0})
	l.terms(t.Demands["s-ceasefire"], TalksDay(time.February, 4), "came down", map[string]any{"duration_days": 60.0})
	l.terms(t.Demands["n-buffer"], TalksDay(time.February, 4), "softened", map[string]any{"buffer_zone_m": 700.0})
	l.create(&domain.Endorsement{DemandID: t.Demands["s-aid"], PartyID: t.Parties["Northland"], StatedOn: "2025-02-05"})
	l.terms(t.Demands["s-ceasefire"], TalksDay(time.March, 1), "accepted six weeks", map[string]any{"duration_days": 42.0})
	l.status(t.Demands["s-buffer"], TalksDay(time.March, 1), "withdrawn")
	l.move(domain.KindObjection, objection, TalksDay(time.March, 2), "resolved", func(r domain.Resource) { r.(*domain.Objection).State = "resolved" })
	l.status(t.Demands["n-ceasefire"], TalksDay(time.March, 2), "agreed")
	l.status(t.Demands["s-ceasefire"], TalksDay(time.March, 2), "agreed")
	l.terms(t.Demands["s-prisoners"], TalksDay(time.March, 2), "", map[string]any{"prisoners_phase_1": 1900.0})
	l.terms(t.Demands["n-prisoners"], TalksDay(time.March, 2), "", map[string]any{"prisoners_phase_1": 1700.0})
	l.terms(t.Demands["s-prisoners"], TalksDay(time.February, 5), "learned later", map[string]any{"prisoners_phase_1": 2500.0})
	l.terms(t.Demands["n-prisoners"], TalksDay(time.February, 5), "learned later", map[string]any{"prisoners_phase_1": 1500.0})
}
