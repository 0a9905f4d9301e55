package domain_test

import (
	"maps"
	"testing"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/report/reporttest"
)

// BenchmarkCompare compares two COP-scale states of a negotiation (12,000
// demands, objections and endorsements each) in which a tenth of the
// demands moved a term and a tenth of the objections were resolved:
//
//	go test ./domain -run '^$' -bench Compare -benchtime 3x
func BenchmarkCompare(b *testing.B) {
	from := reporttest.Generate(reporttest.COP, 2025)
	to := *from
	to.Demands = make([]*domain.Demand, len(from.Demands))
	for i, d := range from.Demands {
		to.Demands[i] = d
		if i%10 == 0 {
			moved := *d
			moved.Terms = maps.Clone(d.Terms)
			moved.Terms["emissions_cut_pct"] = float64(i % 70)
			moved.Version++
			to.Demands[i] = &moved
		}
	}
	to.Objections = make([]*domain.Objection, len(from.Objections))
	for i, o := range from.Objections {
		to.Objections[i] = o
		if i%10 == 0 {
			resolved := *o
			resolved.State = "resolved"
			to.Objections[i] = &resolved
		}
	}
	b.ResetTimer()
	var moves int
	for b.Loop() {
		moves = domain.Compare(from, &to).MoveCount()
	}
	b.ReportMetric(float64(moves), "moves")
}
