package ui

import (
	"strings"

	"github.com/parley/parley/domain"
)

// Counter-demands and bridging proposals in words: "the United States'
// bridging proposal «Three-phase framework»", "Israel's demand". The
// domain decides what a response is (domain.ClassifyResponse); these
// helpers only word it.

// responseLine is one line a matrix cell or a demand page shows about a
// response: Lead and Of word it, DemandID and Title link it.
type responseLine struct {
	Lead     string
	Of       string
	DemandID string
	Title    string
}

// possessive writes "Israel's", "the United States'": an article where
// the name needs one, as most names of unions, groups and federations do.
func possessive(name string) string {
	out := name + "’s"
	if strings.HasSuffix(name, "s") {
		out = name + "’"
	}
	for _, w := range []string{"United ", "European ", "Arab ", "African ", "Russian ", "Holy ", "Group ", "Netherlands", "Philippines", "Gambia", "Bahamas", "Maldives", "Comoros"} {
		if strings.HasPrefix(name, w) {
			return "the " + out
		}
	}
	return out
}

// responseOf words a response as its author's: "the United States'
// bridging proposal".
func responseOf(l domain.ResponseLink, names map[string]string) string {
	return possessive(nameOr(names, l.PartyID)) + " " + domain.ResponseKindLabel(l.Kind)
}

func nameOr(names map[string]string, id string) string {
	if n := names[id]; n != "" {
		return n
	}
	return id
}

// cellResponseLines words a cell's responses and the answers its demands
// drew: "Bridging proposal, answering Israel's «…»"; "Answered by the
// United States' bridging proposal «…»".
func cellResponseLines(cell domain.MatrixCell, names, titles map[string]string) []responseLine {
	var out []responseLine
	for _, l := range cell.Responds {
		out = append(out, responseLine{Lead: capitalize(domain.ResponseKindLabel(l.Kind)) + " «" + titles[l.DemandID] + "», answering",
			Of: possessive(nameOr(names, l.RespondsToPartyID)) + " demand", DemandID: l.RespondsToID, Title: titles[l.RespondsToID]})
	}
	for _, l := range cell.AnsweredBy {
		out = append(out, responseLine{Lead: "«" + titles[l.RespondsToID] + "» answered by", Of: responseOf(l, names), DemandID: l.DemandID, Title: titles[l.DemandID]})
	}
	return out
}

// reactionWords maps each endorsement and objection of a cell that is
// about a response to the words naming that response.
func reactionWords(cell domain.MatrixCell, names map[string]string) map[string]string {
	if len(cell.Reactions) == 0 {
		return nil // most cells of a conference react to no response
	}
	out := make(map[string]string, len(cell.Reactions))
	for _, r := range cell.Reactions {
		id := r.EndorsementID + r.ObjectionID
		out[id] = responseOf(r.ResponseLink, names)
	}
	return out
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// demandResponses is what a demand page shows of the argument around a
// demand: the demand it answers, and the responses it drew with who
// endorsed and who objected to each.
type demandResponses struct {
	Answers    *responseLine
	AnsweredBy []answeredBy
}

// answeredBy is one response to a demand, with its reactions.
type answeredBy struct {
	responseLine
	Endorsed []string
	Objected []string
}

func demandResponsesOf(snap *domain.Snapshot, d *domain.Demand, names map[string]string) demandResponses {
	r := domain.IndexResponses(snap.Negotiation, snap.Demands)
	titles := make(map[string]string, len(snap.Demands))
	for _, dm := range snap.Demands {
		titles[dm.ID] = dm.Title
	}
	var out demandResponses
	if l, ok := r.Of(d.ID); ok {
		out.Answers = &responseLine{Lead: "This is " + responseOf(l, names) + ", answering", Of: possessive(nameOr(names, l.RespondsToPartyID)) + " demand",
			DemandID: l.RespondsToID, Title: titles[l.RespondsToID]}
	}
	for _, l := range r.AnsweredBy(d.ID) {
		a := answeredBy{responseLine: responseLine{Of: responseOf(l, names), DemandID: l.DemandID, Title: titles[l.DemandID]}}
		for _, e := range snap.Endorsements {
			if e.DemandID == l.DemandID {
				a.Endorsed = append(a.Endorsed, nameOr(names, e.PartyID))
			}
		}
		for _, o := range snap.Objections {
			if o.DemandID == l.DemandID {
				a.Objected = append(a.Objected, nameOr(names, o.PartyID)+" ("+labelOf(o.Type)+", "+labelOf(o.State)+")")
			}
		}
		out.AnsweredBy = append(out.AnsweredBy, a)
	}
	return out
}

// blocThrough names the bloc a position is inherited from, and the
// nested blocs it came through: "G77 and China (through the LDCs)".
func blocThrough(in domain.InheritedPosition, names map[string]string) string {
	if len(in.Via) == 0 {
		return nameOr(names, in.BlocID)
	}
	via := make([]string, len(in.Via))
	for i, id := range in.Via {
		via[i] = nameOr(names, id)
	}
	return nameOr(names, in.BlocID) + " (through " + strings.Join(via, ", ") + ")"
}
