package report

import (
	"context"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/report/reporttest"
	"github.com/parley/parley/store/storetest"
)

// The benchmarks measure a negotiation of COP scale (reporttest.COP):
//
//	go test ./report -run '^$' -bench . -benchtime 3x
//
// Targets on a 2-core machine: matrix under 250 ms, markdown and csv under
// 1 s, xlsx under 3 s, pdf under 5 s.
var (
	copOnce     sync.Once
	copSnapshot *domain.Snapshot
)

func cop() *domain.Snapshot {
	copOnce.Do(func() { copSnapshot = reporttest.Generate(reporttest.COP, 2025) })
	return copSnapshot
}

func BenchmarkBuildMatrix(b *testing.B) {
	s := cop()
	b.ResetTimer()
	for b.Loop() {
		if _, err := domain.BuildMatrix(s, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildMatrixView adds what the API's matrix adds to
// BuildMatrix: columns by role, inheritance from blocs (none in this
// fixture, so it measures the index alone), and the compact form.
func BenchmarkBuildMatrixView(b *testing.B) {
	s := cop()
	for _, bc := range []struct {
		name    string
		compact bool
	}{{"full", false}, {"compact", true}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				m, err := domain.BuildMatrixView(s, domain.MatrixOptions{Today: time.Now()})
				if err != nil {
					b.Fatal(err)
				}
				if bc.compact {
					m.Compact(false)
				}
			}
		})
	}
}

func BenchmarkBuildReport(b *testing.B) {
	s := cop()
	b.ResetTimer()
	for b.Loop() {
		Build(s, nil, time.Now())
	}
}

// BenchmarkRender includes building the report model, as a request does.
func BenchmarkRender(b *testing.B) {
	s := cop()
	for _, format := range FormatNames() {
		b.Run(format, func(b *testing.B) {
			cpu := startCPUClock(b)
			for b.Loop() {
				r := Build(s, nil, time.Now())
				if err := Render(io.Discard, format, r); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report()
		})
	}
}

// BenchmarkStoreMatrix loads the COP negotiation through a real SQLite
// store once (about a minute), then measures the matrix and the report as a
// request builds them: the snapshot from the store, now and as of a past
// instant, then the view.
func BenchmarkStoreMatrix(b *testing.B) {
	ctx := context.Background()
	st := storetest.Open(b)
	start := time.Now()
	id, err := reporttest.Load(ctx, st, cop())
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded %d demands through the store in %s", len(cop().Demands), time.Since(start).Round(time.Second))
	// Edits after the past instant, so that as of it the store must pick
	// older revisions of those demands.
	past := time.Now()
	page, err := st.List(ctx, domain.ListQuery{Kind: domain.KindDemand, Refs: map[string]string{"negotiation_id": id}, Limit: 500})
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range page.Items {
		_, err := st.Update(ctx, "benchmark", domain.KindDemand, r.Base().ID, 0, domain.Dating{}, func(cur domain.Resource) (domain.Resource, error) {
			cur.(*domain.Demand).State = "agreed"
			return cur, nil
		})

		if err != nil {
			b.Fatal(err)
		}
	}
	for _, tt := range []struct {
		name string
		asOf time.Time
	}{{"now", time.Time{}}, {"as_of", past}} {
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				s, err := st.Snapshot(ctx, id, domain.Moment{AsOf: tt.asOf})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := domain.BuildMatrix(s, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
