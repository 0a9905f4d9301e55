package ui

import (
	"github.com/parley/parley/domain"
	"github.com/parley/parley/report"
)

// Every claim (a demand, an objection, a rebuttal, an endorsement) should be tied to
// where it was reported. A claim without a source is saved, not refused:
// the analyst may have it only from a call. But the form warns of it, the
// save says it, the overview counts and lists such claims, and the
// report lists them under its sources.

// claimCitations returns a claim's sources, and whether r is a claim.
func claimCitations(r domain.Resource) ([]domain.Citation, bool) {
	switch x := r.(type) {
	case *domain.Demand:
		return x.Citations, true
	case *domain.Objection:
		return x.Citations, true
	case *domain.Rebuttal:
		return x.Citations, true
	case *domain.Endorsement:
		return x.Citations, true
	}
	return nil, false
}

// noSourceYet is what a save message adds for a claim saved without a
// source; "" otherwise.
func noSourceYet(r domain.Resource) string {
	if cs, claim := claimCitations(r); claim && len(cs) == 0 {
		return " It has no source yet: add one when you can."
	}
	return ""
}

// unsourcedClaim is a claim without a source, as the overview lists it.
type unsourcedClaim struct {
	Label string
	URL   string
}

// unsourcedClaims lists the claims of a snapshot that cite no source, by
// topic as the matrix orders them, each demand followed by what is said
// about it.
func unsourcedClaims(s *domain.Snapshot) []unsourcedClaim {
	claims := report.UnsourcedClaims(s)
	out := make([]unsourcedClaim, 0, len(claims))
	for _, c := range claims {
		u := unsourcedClaim{Label: report.ClaimText(c) + " (" + c.Topic + ")"}
		u.URL = "/demands/" + c.DemandID
		if c.Kind != domain.KindDemand {
			u.URL += "#" + c.Kind.Singular() + "-" + c.ID
		}
		out = append(out, u)
	}
	return out
}
