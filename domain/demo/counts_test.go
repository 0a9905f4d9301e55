package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/domain/demo"
	"github.com/parley/parley/report"
	"github.com/parley/parley/store/storetest"
)

// TestDemoReportCountsWhatItNames recounts every figure of the demo's
// report summary and matrix summaries straight from the store's lists, so
// that each count is the number of the things it names.
func TestDemoReportCountsWhatItNames(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	id, _, err := demo.Load(ctx, s, "demo")
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Load(ctx, s, id, report.Options{}, time.Now(), false)
	if err != nil {
		t.Fatal(err)
	}
	demands, objections, endorsements := all(t, s, domain.KindDemand), all(t, s, domain.KindObjection), all(t, s, domain.KindEndorsement)
	live := map[string]bool{}
	liveCount := 0
	for _, d := range demands {
		if d.(*domain.Demand).Live() {
			live[d.Base().ID] = true
			liveCount++
		}
	}
	standing, standingToLive := 0, 0
	for _, o := range objections {
		if o := o.(*domain.Objection); o.Standing() {
			standing++
			if live[o.DemandID] {
				standingToLive++
			}
		}
	}
	defined := 0
	for _, tp := range all(t, s, domain.KindTopic) {
		defined += len(tp.(*domain.Topic).TermDefinitions)
	}
	sum := r.Summary
	checks := []struct {
		name      string
		got, want int
	}{
		{"demands", sum.Demands, len(demands)},
		{"live demands", sum.LiveDemands, liveCount},
		{"objections", sum.Objections, len(objections)},
		{"standing objections", sum.StandingObjections, standing},
		{"standing objections to live demands", sum.StandingObjectionsToLive, standingToLive},
		{"endorsements", sum.Endorsements, len(endorsements)},
		{"topics", sum.Topics, len(all(t, s, domain.KindTopic))},
		{"defined terms", sum.DefinedTerms, defined},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: the report says %d, the store holds %d", c.name, c.got, c.want)
		}
	}
	if defined != 3 {
		t.Errorf("the demo defines %d terms, want 3 (duration, unconditional, exchange)", defined)
	}
	byState := 0
	for _, sc := range sum.TopicsByState {
		byState += sc.Count
	}
	if byState != sum.Topics {
		t.Errorf("topics by state add up to %d, not the %d topics", byState, sum.Topics)
	}
}
