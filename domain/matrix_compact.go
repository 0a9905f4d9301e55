package domain

import "time"

// CompactMatrix is the matrix for clients that lay out many columns: each
// party and topic once, and only the cells that hold something, naming
// their row and column by index and their statements by id, title and
// status. A 200-party conference fits in a fraction of the full form.
type CompactMatrix struct {
	Compact        bool               `json:"compact"`
	Negotiation    CompactNegotiation `json:"negotiation"`
	Parties        []CompactParty     `json:"parties"`
	Topics         []CompactTopic     `json:"topics"`
	Cells          []CompactCell      `json:"cells"`
	TopicSummaries []TopicSummary     `json:"topic_summaries"`
	AsOf           *time.Time         `json:"as_of"`
	RecordedAsOf   *time.Time         `json:"recorded_as_of"`
}

// CompactNegotiation names the negotiation the matrix is of.
type CompactNegotiation struct {
	ID     string            `json:"id"`
	Title  string            `json:"title"`
	Status NegotiationStatus `json:"status"`
}

// CompactParty is a column.
type CompactParty struct {
	ID        string            `json:"id"`
	Name      string            `json:"name"`
	ShortName string            `json:"short_name,omitempty"`
	Kind      PartyKind         `json:"kind"`
	Roles     []ParticipantRole `json:"roles"`
	Grouped   []string          `json:"grouped,omitempty"`
}

// CompactTopic is a row.
type CompactTopic struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// CompactCell is a non-empty cell, with short keys because a conference
// has tens of thousands: T and P index Topics and Parties; D lists the
// party's demands on the topic; E, O and SO count its endorsements,
// objections and standing objections there, R the answers to those
// objections; In, Dv and Dm name by their
// index in Parties the blocs it inherits from, the blocs it diverges from
// and (grouped by bloc) the members that diverge.
type CompactCell struct {
	T  int             `json:"t"`
	P  int             `json:"p"`
	D  []CompactDemand `json:"d,omitempty"`
	E  int             `json:"e,omitempty"`
	O  int             `json:"o,omitempty"`
	SO int             `json:"so,omitempty"`
	R  int             `json:"r,omitempty"`
	In []int           `json:"in,omitempty"`
	Dv []int           `json:"dv,omitempty"`
	Dm []int           `json:"dm,omitempty"`
}

// CompactDemand is a demand in a compact cell: its id and status, and its
// title when asked for.
type CompactDemand struct {
	ID     string       `json:"id"`
	Status DemandStatus `json:"s"`
	Title  string       `json:"title,omitempty"`
}

// Compact turns a matrix into its compact form; titles adds each
// demand's title. A bloc or member that is not a column is left out of
// In, Dv and Dm.
func (m *Matrix) Compact(titles bool) *CompactMatrix {
	c := &CompactMatrix{
		Compact:        true,
		Negotiation:    CompactNegotiation{ID: m.Negotiation.ID, Title: m.Negotiation.Title, Status: m.Negotiation.State},
		Parties:        make([]CompactParty, len(m.Parties)),
		Topics:         make([]CompactTopic, len(m.Topics)),
		Cells:          []CompactCell{},
		TopicSummaries: m.TopicSummaries,
		AsOf:           m.AsOf,
		RecordedAsOf:   m.RecordedAsOf,
	}
	index := make(map[string]int, len(m.Parties))
	for i, p := range m.Parties {
		index[p.ID] = i
		c.Parties[i] = CompactParty{ID: p.ID, Name: p.Name, ShortName: p.ShortName, Kind: p.PartyKind, Roles: nonNil(p.Roles), Grouped: p.Grouped}
	}
	for i, t := range m.Topics {
		c.Topics[i] = CompactTopic{ID: t.ID, Title: t.Title}
	}
	indexes := func(ids []string) []int {
		var out []int
		for _, id := range ids {
			if i, ok := index[id]; ok {
				out = append(out, i)
			}
		}
		return out
	}
	cols := len(m.Parties)
	for i, cell := range m.Cells {
		cc := CompactCell{T: i / cols, P: i % cols, E: len(cell.Endorsements), O: len(cell.Objections), R: len(cell.Rebuttals),
			Dv: indexes(cell.DivergesFrom), Dm: indexes(cell.DivergentMembers)}
		for _, o := range cell.Objections {
			if o.Standing() {
				cc.SO++
			}
		}
		for _, d := range cell.Demands {
			cd := CompactDemand{ID: d.ID, Status: d.State}
			if titles {
				cd.Title = d.Title
			}
			cc.D = append(cc.D, cd)
		}
		for _, in := range cell.Inherited {
			if b, ok := index[in.BlocID]; ok {
				cc.In = append(cc.In, b)
			}
		}
		if len(cc.D) > 0 || cc.E > 0 || cc.O > 0 || len(cell.Inherited) > 0 {
			c.Cells = append(c.Cells, cc)
		}
	}
	return c
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
