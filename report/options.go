package report

import (
	"slices"
	"strings"
	"time"

	"github.com/parley/parley/domain"
)

// Layouts are the layouts a report can be asked in, "" meaning the first:
// "full", everything the report holds, and "brief", at most two A4 pages
// for a minister's office.
var Layouts = []string{"full", "brief"}

// Options is what a report is asked with, beside its format: the
// moment it describes, the start of its "what moved" section, its layout,
// the audience it goes to and, for an issued report, its title.
type Options struct {
	At    domain.Moment
	Since time.Time
	// Layout is one of Layouts; "" for the first.
	Layout string
	// Audience is a handling marking: the report leaves out everything
	// marked above it; "" leaves nothing out.
	Audience string
	// Title replaces the report's own title when given.
	Title string
}

// CheckOptions names every bad option: an unknown layout or
// audience, a since after the instant described.
func CheckOptions(o Options) domain.FieldErrors {
	var errs domain.FieldErrors
	if o.Layout != "" && !slices.Contains(Layouts, o.Layout) {
		errs.Add("layout", "must be one of %s", strings.Join(Layouts, ", "))
	}
	if o.Audience != "" && domain.HandlingLevel(o.Audience) < 0 {
		errs.Add("audience", "must be one of %s", domain.HandlingMarkings().String())
	}
	if !o.Since.IsZero() && !o.At.AsOf.IsZero() && o.Since.After(o.At.AsOf) {
		errs.Add("since", "is after the instant the report is as of")
	}
	if len([]rune(o.Title)) > domain.MaxName {
		errs.Add("title", "must be at most %d characters", domain.MaxName)
	}
	return errs
}
