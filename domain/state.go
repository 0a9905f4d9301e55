package domain

import (
	"encoding/json"
	"strings"
)

// StateDefinition is a topic state with the words every view and report
// shows for it: the matrix legend, each report's legend, the README and
// the OpenAPI document all print this table.
type StateDefinition struct {
	State      TopicState `json:"state"`
	Label      string     `json:"label"`
	Definition string     `json:"definition"`
}

// TopicStateDefinitions defines the topic states from the least settled
// to the most; JudgeTopic tests them from agreed down.
var TopicStateDefinitions = []StateDefinition{
	{StateOpen, "Open", "Nothing decides the topic yet: no live demand, or live demands that not every principal makes or endorses, with no standing objection and no principals stating different values of a defined term."},
	{StateDivergent, "Divergent", "Principals state different values of a term the topic defines (e.g. 300 against 600 trucks a day), and no live demand has a standing objection."},
	{StateContested, "Contested", "A live demand has a standing objection, and the topic is not agreed."},
	{StateConvergent, "Convergent", "Every principal makes or endorses each live demand, with no standing objection and no different values of a defined term."},
	{StateAgreed, "Agreed", "Every live core and normal demand is agreed or fulfilled (every live demand, where all are secondary). Pending secondary demands are noted, not reopening the topic."},
}

// StateLabel is a state's label; the state itself if unknown.
func StateLabel(state TopicState) string {
	for _, d := range TopicStateDefinitions {
		if d.State == state {
			return d.Label
		}
	}
	return string(state)
}

// StateLegend is the state definitions as one paragraph of text, for
// documents that print a legend as prose.
func StateLegend() string {
	parts := make([]string, len(TopicStateDefinitions))
	for i, d := range TopicStateDefinitions {
		parts[i] = d.Label + ": " + d.Definition
	}
	return strings.Join(parts, " ")
}

// TopicJudgement is a topic's state with what qualifies it.
type TopicJudgement struct {
	State TopicState
	// PendingSecondary counts the live secondary demands not yet agreed
	// or fulfilled on a topic whose core and normal demands are.
	PendingSecondary int
	// DivergentTerms lists the defined terms principals state different
	// values of, in definition order.
	DivergentTerms []string
}

// TopicStateOf computes a topic's state without term definitions; see
// JudgeTopic.
func TopicStateOf(demands []*Demand, objections []*Objection, endorsements []*Endorsement, principals []string) TopicState {
	return JudgeTopic(nil, demands, objections, endorsements, principals).State
}

// JudgeTopic computes a topic's state from its demands (in stated order)
// and the objections and endorsements made to them. Only live demands
// (neither withdrawn nor rejected) count:
//   - agreed when every live core and normal demand is agreed or fulfilled
//     (every live demand, where all are secondary): a pending secondary
//     item is counted in PendingSecondary rather than reopening the topic;
//   - else contested when any live demand has a standing objection;
//   - else divergent when two principals' latest live values of a defined
//     term differ;
//   - else convergent when every principal either makes or endorses each
//     live demand;
//   - else open, which is also the state of a topic with no live demand.
//
// Objections and endorsements of demands not in demands are ignored, so a
// caller may pass a whole negotiation's. A negotiation without principals
// has nobody to converge or diverge, so its topics are neither.
func JudgeTopic(defs []TermDefinition, demands []*Demand, objections []*Objection, endorsements []*Endorsement, principals []string) TopicJudgement {
	live := make(map[string]*Demand, len(demands))
	for _, d := range demands {
		if d.Live() {
			live[d.ID] = d
		}
	}
	if len(live) == 0 {
		return TopicJudgement{State: StateOpen}
	}
	if pending, agreed := settledOnWhatDecides(live); agreed {
		return TopicJudgement{State: StateAgreed, PendingSecondary: pending}
	}
	for _, o := range objections {
		if o.Standing() && live[o.DemandID] != nil {
			return TopicJudgement{State: StateContested}
		}
	}
	if len(principals) == 0 {
		return TopicJudgement{State: StateOpen}
	}
	if terms := divergentTerms(defs, demands, principals); len(terms) > 0 {
		return TopicJudgement{State: StateDivergent, DivergentTerms: terms}
	}
	if everyPrincipalBacksEach(live, endorsements, principals) {
		return TopicJudgement{State: StateConvergent}
	}
	return TopicJudgement{State: StateOpen}
}

// settledOnWhatDecides reports whether the live core and normal demands
// (all live demands, where every one is secondary) are all settled, and
// how many live secondary demands are still pending.
func settledOnWhatDecides(live map[string]*Demand) (pendingSecondary int, agreed bool) {
	deciding, settled := 0, true
	for _, d := range live {
		if d.Priority == PrioritySecondary {
			continue
		}
		deciding++
		settled = settled && d.Settled()
	}
	for _, d := range live {
		if d.Priority != PrioritySecondary || d.Settled() {
			continue
		}
		if deciding == 0 {
			return 0, false
		}
		pendingSecondary++
	}
	return pendingSecondary, settled
}

func everyPrincipalBacksEach(live map[string]*Demand, endorsements []*Endorsement, principals []string) bool {
	// backers[demand][party] is true when the party makes or endorses it.
	backers := make(map[string]map[string]bool, len(live))
	for id, d := range live {
		backers[id] = map[string]bool{d.PartyID: true}
	}
	for _, e := range endorsements {
		if b := backers[e.DemandID]; b != nil {
			b[e.PartyID] = true
		}
	}
	for _, b := range backers {
		for _, p := range principals {
			if !b[p] {
				return false
			}
		}
	}
	return true
}

// divergentTerms lists the defined terms on which two principals' latest
// live values differ; a value that does not fit its definition is not
// compared.
func divergentTerms(defs []TermDefinition, demands []*Demand, principals []string) []string {
	isPrincipal := make(map[string]bool, len(principals))
	for _, p := range principals {
		isPrincipal[p] = true
	}
	var out []string
	for _, def := range defs {
		latest := map[string]string{}
		for _, d := range demands {
			if !d.Live() || !isPrincipal[d.PartyID] {
				continue
			}
			raw, ok := d.Terms[def.Key]
			if !ok {
				continue
			}
			if v, ok := comparableValue(def, raw); ok {
				latest[d.PartyID] = v
			}
		}
		distinct := map[string]bool{}
		for _, v := range latest {
			distinct[v] = true
		}
		if len(distinct) > 1 {
			out = append(out, def.Key)
		}
	}
	return out
}

// comparableValue is a value's stored form as text, equal for equal
// values.
func comparableValue(def TermDefinition, raw any) (string, bool) {
	v, ok := parseTermValue(def, raw)
	if !ok {
		return "", false
	}
	b, err := json.Marshal(v)
	return string(b), err == nil
}
