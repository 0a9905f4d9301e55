package domain

import "sort"

// A demand with responds_to_id answers another demand of its topic. Who
// answers decides what it is: a party holding a third party's role in the
// negotiation (mediator or host: a facilitator is recorded as a mediator)
// puts a bridging proposal to the parties, as the United States did with
// its three-phase framework in the Gaza talks; any other party answers
// with a counter-demand, whether it answers another party's demand or
// restates its own. The parties that endorse or object to a response are
// its reactions, which the matrix shows in each reacting party's cell and
// the reports as threads.

// Response kinds.
const (
	ResponseCounter  = "counter"
	ResponseBridging = "bridging"
)

// ResponseKinds lists the kinds of response.
var ResponseKinds = []string{ResponseCounter, ResponseBridging}

// ResponseKindLabel words a response kind: "counter-demand", "bridging
// proposal".
func ResponseKindLabel(kind string) string {
	if kind == ResponseBridging {
		return "bridging proposal"
	}
	return "counter-demand"
}

// ClassifyResponse tells what a responding demand is in negotiation n: a
// bridging proposal when its party is a mediator or host there, else a
// counter-demand.
func ClassifyResponse(n *Negotiation, d *Demand) string {
	if n != nil && (n.HasRole(d.PartyID, ParticipantMediator) || n.HasRole(d.PartyID, ParticipantHost)) {
		return ResponseBridging
	}
	return ResponseCounter
}

// ResponseLink is one demand answering another: the response, who made
// it, the demand it answers and whose that demand is.
type ResponseLink struct {
	DemandID          string `json:"demand_id"`
	PartyID           string `json:"party_id"`
	Kind              string `json:"kind"`
	RespondsToID      string `json:"responds_to_id"`
	RespondsToPartyID string `json:"responds_to_party_id"`
}

// Reaction is a party's endorsement of, or objection to, a response: what
// its cell shows as "endorses the United States' bridging proposal".
// Reaction is "endorses" or "objects"; an objection carries its id, kind
// and status, an endorsement its id.
type Reaction struct {
	ResponseLink
	Reaction        string          `json:"reaction"`
	EndorsementID   string          `json:"endorsement_id,omitempty"`
	ObjectionID     string          `json:"objection_id,omitempty"`
	ObjectionKind   ObjectionKind   `json:"objection_kind,omitempty"`
	ObjectionStatus ObjectionStatus `json:"objection_status,omitempty"`
}

// Reaction values.
const (
	ReactionEndorses = "endorses"
	ReactionObjects  = "objects"
)

// Responses indexes the responding demands of a snapshot: which demand
// each answers, and which responses each demand received.
type Responses struct {
	byDemand   map[string]ResponseLink
	answeredBy map[string][]ResponseLink
}

// IndexResponses finds every demand that answers another among demands.
// A response whose answered demand is missing (not in the snapshot, or of
// another negotiation) is left out: there is nothing to thread it to.
func IndexResponses(n *Negotiation, demands []*Demand) Responses {
	r := Responses{byDemand: map[string]ResponseLink{}, answeredBy: map[string][]ResponseLink{}}
	byID := make(map[string]*Demand, len(demands))
	for _, d := range demands {
		byID[d.ID] = d
	}
	for _, d := range demands {
		answered := byID[d.RespondsToID]
		if d.RespondsToID == "" || answered == nil || answered.ID == d.ID {
			continue
		}
		link := ResponseLink{DemandID: d.ID, PartyID: d.PartyID, Kind: ClassifyResponse(n, d),
			RespondsToID: answered.ID, RespondsToPartyID: answered.PartyID}
		r.byDemand[d.ID] = link
		r.answeredBy[answered.ID] = append(r.answeredBy[answered.ID], link)
	}
	for _, links := range r.answeredBy {
		sort.SliceStable(links, func(i, j int) bool {
			a, b := byID[links[i].DemandID], byID[links[j].DemandID]
			if a.StatedOn != b.StatedOn {
				return a.StatedOn < b.StatedOn
			}
			return a.ID < b.ID
		})
	}
	return r
}

// Of returns the link of a responding demand.
func (r Responses) Of(demandID string) (ResponseLink, bool) {
	l, ok := r.byDemand[demandID]
	return l, ok
}

// AnsweredBy lists the responses a demand received, oldest first.
func (r Responses) AnsweredBy(demandID string) []ResponseLink { return r.answeredBy[demandID] }

// Reactions lists a party's reactions to responses among its endorsements
// and objections: each endorsement or objection of a responding demand.
func (r Responses) Reactions(endorsements []*Endorsement, objections []*Objection) []Reaction {
	var out []Reaction
	for _, e := range endorsements {
		if l, ok := r.byDemand[e.DemandID]; ok {
			out = append(out, Reaction{ResponseLink: l, Reaction: ReactionEndorses, EndorsementID: e.ID})
		}
	}
	for _, o := range objections {
		if l, ok := r.byDemand[o.DemandID]; ok {
			out = append(out, Reaction{ResponseLink: l, Reaction: ReactionObjects, ObjectionID: o.ID, ObjectionKind: o.Type, ObjectionStatus: o.State})
		}
	}
	return out
}

// annotateResponses marks each cell's responses, the responses its
// demands received and its reactions to responses.
func annotateResponses(m *Matrix, r Responses) {
	for i := range m.Cells {
		c := &m.Cells[i]
		for _, d := range c.Demands {
			if l, ok := r.Of(d.ID); ok {
				c.Responds = append(c.Responds, l)
			}
			c.AnsweredBy = append(c.AnsweredBy, r.AnsweredBy(d.ID)...)
		}
		c.Reactions = r.Reactions(c.Endorsements, c.Objections)
	}
}

// Thread is a demand with the responses it drew, each response followed
// by the responses to it: "demand → counter-demand or bridging proposal →
// who endorsed or objected".
type Thread struct {
	Root    *Demand
	Replies []ThreadReply
}

// ThreadReply is one response in a thread; Depth 1 answers the root, 2 a
// response to it, and so on.
type ThreadReply struct {
	Demand *Demand
	Link   ResponseLink
	Depth  int
}

// BuildThreads threads a topic's demands (in stated order): one thread
// per demand that answers none and drew at least one response. A chain
// that loops (which the store refuses) is cut where it would repeat.
func BuildThreads(n *Negotiation, demands []*Demand) []Thread {
	r := IndexResponses(n, demands)
	byID := make(map[string]*Demand, len(demands))
	for _, d := range demands {
		byID[d.ID] = d
	}
	var out []Thread
	for _, d := range demands {
		if _, responds := r.Of(d.ID); responds || len(r.AnsweredBy(d.ID)) == 0 {
			continue
		}
		t := Thread{Root: d}
		seen := map[string]bool{d.ID: true}
		var walk func(id string, depth int)
		walk = func(id string, depth int) {
			for _, l := range r.AnsweredBy(id) {
				if seen[l.DemandID] {
					continue
				}
				seen[l.DemandID] = true
				t.Replies = append(t.Replies, ThreadReply{Demand: byID[l.DemandID], Link: l, Depth: depth})
				walk(l.DemandID, depth+1)
			}
		}
		walk(d.ID, 1)
		out = append(out, t)
	}
	return out
}
