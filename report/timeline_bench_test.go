package report

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/report/reporttest"
	"github.com/parley/parley/store/storetest"
)

// BenchmarkTimeline loads the COP negotiation through a real SQLite store
// (about a minute), moves a thousand demands' terms and statuses at dated
// instants of the talks, then measures the timeline as the UI page builds
// it: the store's reads (the snapshot and every revision), the replay, and
// the layout with its SVG; and each step alone.
//
//	go test ./report -run '^$' -bench Timeline -benchtime 5x
func BenchmarkTimeline(b *testing.B) {
	ctx := context.Background()
	st := storetest.Open(b)
	id, err := reporttest.Load(ctx, st, cop())
	if err != nil {
		b.Fatal(err)
	}
	page, err := st.List(ctx, domain.ListQuery{Kind: domain.KindDemand, Refs: map[string]string{"negotiation_id": id}, Limit: 500})
	if err != nil {
		b.Fatal(err)
	}
	for i, r := range page.Items {
		stated, _ := domain.DayStart(r.(*domain.Demand).StatedOn)
		for _, move := range timelineMoves(i, stated) {
			_, err := st.Update(ctx, "benchmark", domain.KindDemand, r.Base().ID, 0, domain.Dating{EffectiveAt: move.at},
				func(cur domain.Resource) (domain.Resource, error) {
					d := cur.(*domain.Demand)
					d.Terms["target_bn_usd"] = move.value
					if move.withdraw {
						d.State = "withdrawn"
					}
					return d, nil
				})
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	read := func() (*domain.Snapshot, []domain.Revision) {
		snap, err := st.Snapshot(ctx, id, domain.Moment{})
		if err != nil {
			b.Fatal(err)
		}
		revs, err := st.Timeline(ctx, id, time.Time{})
		if err != nil {
			b.Fatal(err)
		}
		return snap, revs
	}
	snap, revs := read()
	tl := domain.BuildTimeline(snap, revs)
	view := NewTimelineView(tl)
	svgBytes := 0
	for _, c := range view.Charts {
		svgBytes += len(c.SVG)
	}
	model, _ := json.Marshal(tl)
	b.Logf("%d revisions; %d topics; %d charts; SVG %d bytes in all (largest chart %d); model JSON %d bytes",
		len(revs), len(tl.Topics), len(view.Charts), svgBytes, largestSVG(view), len(model))

	if dir := os.Getenv("PARLEY_TIMELINE_OUT"); dir != "" {
		writeTimelineOnly(b, dir, "cop", snap, tl)
	}
	b.Run("store-snapshot", func(b *testing.B) {
		for b.Loop() {
			if _, err := st.Snapshot(ctx, id, domain.Moment{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("store-revisions", func(b *testing.B) {
		for b.Loop() {
			if _, err := st.Timeline(ctx, id, time.Time{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("build", func(b *testing.B) {
		for b.Loop() {
			domain.BuildTimeline(snap, revs)
		}
	})
	b.Run("svg", func(b *testing.B) {
		for b.Loop() {
			NewTimelineView(tl)
		}
	})
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			s, r := read()
			NewTimelineView(domain.BuildTimeline(s, r))
		}
	})
}

type timelineMove struct {
	at       time.Time
	value    float64
	withdraw bool
}

// timelineMoves is what the i-th moved demand, stated on from, does
// during the talks: two moves of its target at hours of their own in the
// days after, and every tenth demand withdrawn after that.
func timelineMoves(i int, from time.Time) []timelineMove {
	moves := []timelineMove{
		{at: from.Add(time.Duration(1+i%72) * time.Hour), value: float64(300 + i%500)},
		{at: from.Add(time.Duration(73+i%96) * time.Hour), value: float64(400 + i%700)},
	}
	if i%10 == 0 {
		moves = append(moves, timelineMove{at: from.Add(time.Duration(170+i%24) * time.Hour), value: float64(400 + i%700), withdraw: true})
	}
	return moves
}

func largestSVG(v *TimelineView) int {
	n := 0
	for _, c := range v.Charts {
		n = max(n, len(c.SVG))
	}
	return n
}

// BenchmarkBuildTimeline replays the COP negotiation's revisions in memory,
// without a store: every create on its own date, then the moves of
// timelineMoves on the first 500 demands.
func BenchmarkBuildTimeline(b *testing.B) {
	s := cop()
	revs := copRevisions(b, s)
	if dir := os.Getenv("PARLEY_TIMELINE_OUT"); dir != "" {
		writeTimelineOnly(b, dir, "cop-memory", s, domain.BuildTimeline(s, revs))
	}
	b.ResetTimer()
	for b.Loop() {
		domain.BuildTimeline(s, revs)
	}
}

// copRevisions writes the revisions a store would list for the COP
// negotiation, in negotiation-time order.
func copRevisions(b *testing.B, s *domain.Snapshot) []domain.Revision {
	var revs []domain.Revision
	add := func(r domain.Resource, at time.Time, rev int) {
		r.Base().EffectiveAt = at
		body, err := json.Marshal(r)
		if err != nil {
			b.Fatal(err)
		}
		revs = append(revs, domain.Revision{ResourceType: r.Kind(), ResourceID: r.Base().ID, Revision: rev, EffectiveAt: at, Resource: body})
	}
	start, _ := domain.DayStart(s.Negotiation.StartedOn)
	add(s.Negotiation, start, 1)
	for _, t := range s.Topics {
		add(t, start, 1)
	}
	for _, r := range s.Rounds {
		add(r, domain.RoundStart(r), 1)
	}
	for _, d := range s.Demands {
		at, _ := domain.DayStart(d.StatedOn)
		add(d, at, 1)
	}
	for _, o := range s.Objections {
		at, _ := domain.DayStart(o.StatedOn)
		add(o, at, 1)
	}
	for _, e := range s.Endorsements {
		at, _ := domain.DayStart(e.StatedOn)
		add(e, at, 1)
	}
	for i, d := range s.Demands[:500] {
		stated, _ := domain.DayStart(d.StatedOn)
		for j, m := range timelineMoves(i, stated) {
			c := *d
			c.Terms = map[string]any{"target_bn_usd": m.value, "by_year": d.Terms["by_year"]}
			if m.withdraw {
				c.State = "withdrawn"
			}
			add(&c, m.at, j+2)
		}
	}
	sort.SliceStable(revs, func(i, j int) bool { return revs[i].EffectiveAt.Before(revs[j].EffectiveAt) })
	return revs
}

// writeTimelineOnly renders a report holding only the timeline as HTML and
// PDF into dir, to look at.
func writeTimelineOnly(b *testing.B, dir, name string, s *domain.Snapshot, tl *domain.Timeline) {
	r := Build(&domain.Snapshot{Negotiation: s.Negotiation}, nil, time.Now())
	r.Timeline = tl
	for _, format := range []string{"html", "pdf"} {
		var buf bytes.Buffer
		if err := Render(&buf, format, r); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+"."+format), buf.Bytes(), 0o644); err != nil {
			b.Fatal(err)
		}
	}
}
