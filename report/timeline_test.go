package report

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/report/reporttest"
	"github.com/parley/parley/store/storetest"
)

// loadTalks writes the backfilled talks through a real SQLite store.
func loadTalks(t *testing.T) (domain.Store, *reporttest.Talks) {
	t.Helper()
	st := storetest.Open(t)
	talks, err := reporttest.LoadTalks(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	return st, talks
}

func topicOf(t *testing.T, tl *domain.Timeline, title string) domain.TimelineTopic {
	t.Helper()
	for _, tp := range tl.Topics {
		if tp.Title == title {
			return tp
		}
	}
	t.Fatalf("no topic %q in the timeline", title)
	return domain.TimelineTopic{}
}

// TestTimelineMatchesSnapshots checks the replay against the store's own
// as-of reads: at the start of every band the matrix as of that instant
// gives the topic that state, and at every point of a term line the
// party's live demand states that value.
func TestTimelineMatchesSnapshots(t *testing.T) {
	ctx := context.Background()
	st, talks := loadTalks(t)
	rep, err := Load(ctx, st, talks.NegotiationID, Options{}, time.Now(), true)
	if err != nil {
		t.Fatal(err)
	}
	tl := rep.Timeline
	if tl == nil || len(tl.Topics) != 4 || len(tl.Rounds) != 3 {
		t.Fatalf("timeline = %+v", tl)
	}
	if want := reporttest.TalksDay(time.January, 6); !tl.Start.Equal(want) {
		t.Errorf("start = %s, want the negotiation's start %s", tl.Start, want)
	}
	if want := domain.EndOfDay(reporttest.TalksDay(time.March, 2)); !tl.End.Equal(want) {
		t.Errorf("end = %s, want the end of the last round %s", tl.End, want)
	}
	checked := 0
	for _, tp := range tl.Topics {
		for _, b := range tp.Bands {
			snap, err := st.Snapshot(ctx, talks.NegotiationID, domain.Moment{AsOf: b.From})
			if err != nil {
				t.Fatal(err)
			}
			m, err := domain.BuildMatrix(snap, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range m.TopicSummaries {
				if s.TopicID == tp.TopicID && string(s.State) != b.State {
					t.Errorf("%s as of %s: timeline says %s, matrix says %s", tp.Title, b.From, b.State, s.State)
				}
			}
			checked++
		}
		for _, tr := range tp.Terms {
			for _, s := range tr.Series {
				for _, p := range s.Points {
					snap, err := st.Snapshot(ctx, talks.NegotiationID, domain.Moment{AsOf: p.At})
					if err != nil {
						t.Fatal(err)
					}
					if got := liveValue(snap, tp.TopicID, s.PartyID, tr.Term); got != pointText(p) {
						t.Errorf("%s %s %s as of %s: timeline says %s, snapshot says %s", tp.Title, s.Party, tr.Term, p.At, pointText(p), got)
					}
					checked++
				}
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d bands and points checked", checked)
	}
	want := map[string]string{
		"Ceasefire":         "open contested agreed",
		"Humanitarian aid":  "open convergent",
		"Buffer zone":       "open",
		"Prisoner exchange": "open",
	}
	for title, states := range want {
		var got []string
		for _, b := range topicOf(t, tl, title).Bands {
			got = append(got, b.State)
		}
		if strings.Join(got, " ") != states {
			t.Errorf("%s states = %v, want %s", title, got, states)
		}
	}
}

// liveValue is the party's value of a term on a topic in a snapshot, from
// its live demand, "ended" when it has none.
func liveValue(s *domain.Snapshot, topicID, partyID, term string) string {
	for _, d := range s.Demands {
		if d.TopicID == topicID && d.PartyID == partyID && d.Live() {
			if v, ok := d.Terms[term]; ok {
				return domain.FormatTerm(v)
			}
		}
	}
	return "ended"
}

func pointText(p domain.TermPoint) string {
	if p.Value == nil {
		return "ended"
	}
	return domain.FormatTerm(*p.Value)
}

// TestTimelineReports renders the talks' report in HTML and PDF, now and
// as of the end of round 2, and checks the timeline section of each.
func TestTimelineReports(t *testing.T) {
	ctx := context.Background()
	st, talks := loadTalks(t)
	round2, err := st.Get(ctx, domain.KindRound, talks.Rounds[1])
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		at      domain.Moment
		want    []string
		notWant []string
	}{
		{name: "now", want: []string{
			`<section id="timeline">`, `role="img"`, `<title id="timeline-states-title">Topic states over time</title>`,
			`<desc id="timeline-states-desc">`, `<caption>Ceasefire: duration days, by party</caption>`,
			`<th scope="row">Northland</th><td>30 from 7 Jan 2025; 42 from 4 Feb 2025</td>`,
			`<th scope="row">Southland</th><td>90 from 7 Jan 2025; 60 from 4 Feb 2025; 42 from 1 Mar 2025</td>`,
			`<th scope="row">Southland</th><td>300 from 7 Jan 2025; withdrawn on 1 Mar 2025</td>`,
			`<th scope="row">Southland</th><td>3000 from 7 Jan 2025; 2500 from 5 Feb 2025; 1900 from 2 Mar 2025</td>`,
			`<th scope="row">Ceasefire</th><td>open from 6 Jan 2025; contested from 8 Jan 2025; agreed from 2 Mar 2025</td>`,
			`<th scope="row">Round 2, Cairo</th><td>3 Feb 2025</td><td>5 Feb 2025</td>`,
			`>withdrawn</text>`, `<polyline points=`,
		}},
		{name: "as of round 2", at: domain.Moment{AsOf: domain.RoundEnd(round2.(*domain.Round))}, want: []string{
			`<th scope="row">Southland</th><td>90 from 7 Jan 2025; 60 from 4 Feb 2025</td>`,
			`<th scope="row">Ceasefire</th><td>open from 6 Jan 2025; contested from 8 Jan 2025</td>`,
			`to 5 Feb 2025`,
		}, notWant: []string{"1 Mar 2025", "withdrawn on"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Load(ctx, st, talks.NegotiationID, Options{At: tt.at}, time.Now(), true)
			if err != nil {
				t.Fatal(err)
			}
			html := string(render(t, "html", rep))
			for _, w := range tt.want {
				if !strings.Contains(html, w) {
					t.Errorf("the HTML report lacks %s", w)
				}
			}
			for _, w := range tt.notWant {
				if i := strings.Index(html, `<section id="timeline">`); strings.Contains(html[i:strings.Index(html[i:], "</section>")+i], w) {
					t.Errorf("the timeline as of round 2 shows %s", w)
				}
			}
			pdf := render(t, "pdf", rep)
			if !bytes.HasPrefix(pdf, []byte("%PDF")) {
				t.Fatal("no PDF")
			}
			without := *rep
			without.Timeline = nil
			if plain := render(t, "pdf", &without); len(pdf) < len(plain)+2000 {
				t.Errorf("the PDF with a timeline is %d bytes, without %d: nothing was drawn", len(pdf), len(plain))
			}
			if dir := os.Getenv("PARLEY_TIMELINE_OUT"); dir != "" {
				name := strings.ReplaceAll(tt.name, " ", "-")
				_ = os.WriteFile(filepath.Join(dir, "talks-"+name+".html"), []byte(html), 0o644)
				_ = os.WriteFile(filepath.Join(dir, "talks-"+name+".pdf"), pdf, 0o644)
			}
		})
	}
}

// TestTimelineSVGEscapes: every name a user typed lands in the SVG as
// text, and the SVG stays well-formed XML.
func TestTimelineSVGEscapes(t *testing.T) {
	hostile := `<script>alert("x")</script> & 'quoted'`
	v := 7.0
	tl := &domain.Timeline{
		Start: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2025, 1, 9, 0, 0, 0, 0, time.UTC),
		Rounds: []domain.TimelineRound{{ID: "r", Title: hostile, Start: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC), End: time.Date(2025, 1, 3, 0, 0, 0, 0, time.UTC)}},
		Topics: []domain.TimelineTopic{{TopicID: "t", Title: hostile,
			Bands: []domain.StateBand{{From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 1, 9, 0, 0, 0, 0, time.UTC), State: "open"}},
			Terms: []domain.TermTrack{{Term: hostile, Series: []domain.TermSeries{{PartyID: "p", Party: hostile,
				Points: []domain.TermPoint{{At: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC), Value: &v}}}}}}}},
	}
	for _, c := range NewTimelineView(tl).Charts {
		s := string(c.SVG)
		if strings.Contains(s, "<script") || strings.Contains(s, `"x")`) {
			t.Errorf("%s: a typed name reached the SVG unescaped", c.ID)
		}
		if !strings.Contains(s, "&lt;script&gt;") {
			t.Errorf("%s: the typed name is missing", c.ID)
		}
		dec := xml.NewDecoder(strings.NewReader(s))
		for {
			_, err := dec.Token()
			if err != nil {
				if err.Error() != "EOF" {
					t.Errorf("%s: not well-formed XML: %v", c.ID, err)
				}
				break
			}
		}
	}
}

// TestTimelineCaps: at conference scale the picture stays bounded and says
// what it left out.
func TestTimelineCaps(t *testing.T) {
	start := time.Date(2025, 11, 10, 0, 0, 0, 0, time.UTC)
	tl := &domain.Timeline{Start: start, End: start.AddDate(0, 0, 10)}
	for i := 0; i < 120; i++ {
		tp := domain.TimelineTopic{TopicID: fmt.Sprint("t", i), Title: fmt.Sprintf("Topic %03d", i),
			Bands: []domain.StateBand{{From: start, To: tl.End, State: "open"}}}
		// Topics 100 and up move: they must be the ones shown.
		if i >= 100 {
			tp.Bands = []domain.StateBand{{From: start, To: start.AddDate(0, 0, 3), State: "open"}, {From: start.AddDate(0, 0, 3), To: tl.End, State: "contested"}}
		}
		for k := 0; k < 2; k++ {
			tr := domain.TermTrack{Term: fmt.Sprint("term_", k)}
			for p := 0; p < 20; p++ {
				a, b := float64(p), float64(p+i)
				pts := []domain.TermPoint{{At: start, Value: &a}}
				if i >= 110 && p < 3 {
					pts = append(pts, domain.TermPoint{At: start.AddDate(0, 0, 4), Value: &b})
				}
				tr.Series = append(tr.Series, domain.TermSeries{PartyID: fmt.Sprint("p", p), Party: fmt.Sprint("Party ", p), Points: pts})
			}
			tp.Terms = append(tp.Terms, tr)
		}
		tl.Topics = append(tl.Topics, tp)
	}
	v := NewTimelineView(tl)
	if len(v.Charts) != 1+maxTermCharts {
		t.Fatalf("%d charts, want %d", len(v.Charts), 1+maxTermCharts)
	}
	states := v.Charts[0]
	rows := states.Tables[1].Rows
	if len(rows) != maxStateRows || rows[0][0] != "Topic 000" || rows[len(rows)-1][0] != "Topic 119" {
		t.Errorf("state rows: %d, from %q to %q", len(rows), rows[0][0], rows[len(rows)-1][0])
	}
	shown := map[string]bool{}
	for _, r := range rows {
		shown[r[0]] = true
	}
	for i := 100; i < 120; i++ {
		if !shown[fmt.Sprintf("Topic %03d", i)] {
			t.Errorf("Topic %03d moved but is not shown", i)
		}
	}
	if !strings.Contains(states.Note, "of 120; 80 topics are left out") {
		t.Errorf("state note = %q", states.Note)
	}
	for _, c := range v.Charts[1:] {
		if !strings.HasPrefix(c.Heading, "Topic 11") {
			t.Errorf("charted %s, which did not move", c.Heading)
		}
		if len(c.Tables[0].Rows) != maxSeries || !strings.Contains(c.Note, "12 more parties also state this term") {
			t.Errorf("%s: %d parties, note %q", c.Heading, len(c.Tables[0].Rows), c.Note)
		}
	}
	if notes := strings.Join(v.Notes, " "); !strings.Contains(notes, "228 more numeric terms are not charted") {
		t.Errorf("notes = %q", notes)
	}
}
