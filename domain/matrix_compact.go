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
	ID     string `json:"id"`
	Title  string `json:"title"`
	Status string `json:"status"`
}

// CompactParty is a column.
type CompactParty struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	ShortName string   `json:"short_name,omitempty"`
	Kind      string   `json:"kind"`
	Roles     []string `json:"roles"`
	Grouped   []string `json:"grouped,omitempty"`
}

// CompactTopic is a row.
type CompactTopic struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// CompactCell is a non-empty cell: Topic and Party index Topics and
// Parties. Endorsements and Objections count the party's statements on
// the topic; StandingObjections those still standing.
type CompactCell struct {
	Topic              int             `json:"topic"`
	Party              int             `json:"party"`
	Demands            []CompactDemand `json:"demands,omitempty"`
	Endorsements       int             `json:"endorsements,omitempty"`
	Objections         int             `json:"objections,omitempty"`
	StandingObjections int             `json:"standing_objections,omitempty"`
	InheritedFrom      []string        `json:"inherited_from,omitempty"`
	DivergesFrom       []string        `json:"diverges_from,omitempty"`
	DivergentMembers   []string        `json:"divergent_members,omitempty"`
}

// CompactDemand is a demand in a compact cell.
type CompactDemand struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Status string `json:"status"`
}

// Compact turns a matrix into its compact form.
func (m *Matrix) Compact() *CompactMatrix {
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
	for i, p := range m.Parties {
		c.Parties[i] = CompactParty{ID: p.ID, Name: p.Name, ShortName: p.ShortName, Kind: p.PartyKind, Roles: nonNil(p.Roles), Grouped: p.Grouped}
	}
	for i, t := range m.Topics {
		c.Topics[i] = CompactTopic{ID: t.ID, Title: t.Title}
	}
	cols := len(m.Parties)
	for i, cell := range m.Cells {
		cc := CompactCell{Topic: i / cols, Party: i % cols, Endorsements: len(cell.Endorsements), Objections: len(cell.Objections),
			DivergesFrom: cell.DivergesFrom, DivergentMembers: cell.DivergentMembers}
		for _, o := range cell.Objections {
			if o.Standing() {
				cc.StandingObjections++
			}
		}
		for _, d := range cell.Demands {
			cc.Demands = append(cc.Demands, CompactDemand{ID: d.ID, Title: d.Title, Status: d.State})
		}
		for _, in := range cell.Inherited {
			cc.InheritedFrom = append(cc.InheritedFrom, in.BlocID)
		}
		if len(cc.Demands) > 0 || cc.Endorsements > 0 || cc.Objections > 0 || len(cc.InheritedFrom) > 0 {
			c.Cells = append(c.Cells, cc)
		}
	}
	return c
}
