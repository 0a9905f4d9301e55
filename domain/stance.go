package domain

// Stances a party takes on a topic, as a matrix cell shows them.
const (
	StanceDemands     = "demands"
	StanceSupports    = "supports"
	StanceConditional = "conditional"
	StanceOpposes     = "opposes"
	StanceSilent      = "silent"
)

// StanceDefinition is a stance with the symbol and words every view shows
// for it, so that it reads without colour and to a screen reader.
type StanceDefinition struct {
	Stance     string `json:"stance"`
	Label      string `json:"label"`
	Symbol     string `json:"symbol"`
	Definition string `json:"definition"`
}

// StanceDefinitions defines the stances, in the order JudgeStance tests them.
var StanceDefinitions = []StanceDefinition{
	{StanceDemands, "Demands", "●", "The party makes a live demand on the topic."},
	{StanceOpposes, "Opposes", "✕", "The party makes no live demand here and has a standing rejection of a live demand on the topic."},
	{StanceConditional, "Conditional", "◐", "The party makes no live demand here and has a standing condition or reservation on a live demand, and no standing rejection."},
	{StanceSupports, "Supports", "✓", "The party endorses a live demand on the topic and has no standing objection there."},
	{StanceSilent, "Silent", "○", "The party has said nothing live on the topic."},
}

// Stances lists the stance values.
var Stances = []string{StanceDemands, StanceSupports, StanceConditional, StanceOpposes, StanceSilent}

// StanceInfo returns a stance's definition; silent's for an unknown one.
func StanceInfo(stance string) StanceDefinition {
	for _, d := range StanceDefinitions {
		if d.Stance == stance {
			return d
		}
	}
	return StanceDefinitions[len(StanceDefinitions)-1]
}

// JudgeStance derives a party's stance on a topic from its cell: its own
// demands, its endorsements and its objections there. Only live demands
// and standing objections count: a withdrawn objection no longer opposes.
// demandLive reports whether the demand an endorsement or objection is
// about is live.
func JudgeStance(cell MatrixCell, demandLive func(id string) bool) string {
	for _, d := range cell.Demands {
		if d.Live() {
			return StanceDemands
		}
	}
	conditional := false
	for _, o := range cell.Objections {
		if !o.Standing() || !demandLive(o.DemandID) {
			continue
		}
		if o.Type == "rejection" {
			return StanceOpposes
		}
		conditional = true
	}
	if conditional {
		return StanceConditional
	}
	for _, e := range cell.Endorsements {
		if demandLive(e.DemandID) {
			return StanceSupports
		}
	}
	return StanceSilent
}
