package ui

import (
	"strings"

	"github.com/parley/parley/domain"
)

// tlpMark is a handling marking as a badge shows it: resolved, coloured,
// and whether it is the negotiation's rather than the thing's own.
type tlpMark struct {
	Text      string
	Class     string
	Inherited bool
}

// handlingMark resolves a thing's own marking against its negotiation's.
func handlingMark(own, negotiation string) tlpMark {
	m := domain.ResolveHandling(own, negotiation)
	class := "tlp-" + strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(m, "TLP:")), "+", "-")
	return tlpMark{Text: m, Class: class, Inherited: own == ""}
}
