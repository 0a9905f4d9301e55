package report

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/parley/parley/domain"
)

func TestBuildReport(t *testing.T) {
	r := Build(modelSnapshot(), nil, modelTime)

	if r.Title != "Istanbul talks: negotiation status report" || r.AsOf != nil || r.Since != nil || !r.GeneratedAt.Equal(modelTime) {
		t.Errorf("header = %q as_of %v since %v generated %v", r.Title, r.AsOf, r.Since, r.GeneratedAt)
	}
	var parties []string
	for _, p := range r.Parties {
		parties = append(parties, p.Name+"/"+p.Role)
	}
	if want := []string{"Ukraine/principal", "Russia/principal", "Türkiye/host", "United States/mediator", "Observer Org/"}; !reflect.DeepEqual(parties, want) {
		t.Errorf("parties = %v, want %v", parties, want)
	}

	t.Run("summary", func(t *testing.T) {
		want := Summary{
			TopicsByState: []StateCount{{"open", 2}, {"divergent", 0}, {"contested", 1}, {"convergent", 0}, {"agreed", 1}},
			Parties:       4, Rounds: 1, Topics: 4, Demands: 6, LiveDemands: 5, Objections: 2,
			// Both objections stand; one is to a withdrawn demand.
			StandingObjections: 2, StandingObjectionsToLive: 1,
			Endorsements: 1, Sources: 3, Unsourced: 4, DefinedTerms: 2,
		}
		if !reflect.DeepEqual(r.Summary, want) {
			t.Errorf("summary = %+v\nwant      %+v", r.Summary, want)
		}
	})

	t.Run("rounds and the level note", func(t *testing.T) {
		rd := r.Rounds[0]
		if rd.Host != "Türkiye" || len(rd.Delegations) != 2 || rd.Delegations[0].Party != "Ukraine" {
			t.Errorf("round = %+v", rd)
		}
		want := "The principals' delegations differ in level: Ukraine at ministerial level (led by Rustem Umerov, Defence Minister); " +
			"Russia at senior official level (led by Vladimir Medinsky, Presidential aide)."
		if rd.LevelNote != want {
			t.Errorf("level note = %q\nwant         %q", rd.LevelNote, want)
		}
	})

	t.Run("topics, demands and their order", func(t *testing.T) {
		var got []string
		for _, tp := range r.Topics {
			var ds []string
			for _, d := range tp.Demands {
				ds = append(ds, d.Party+":"+d.Title)
			}
			got = append(got, tp.Title+"="+tp.State+"["+strings.Join(ds, "|")+"]")
		}
		want := []string{
			"Ceasefire=contested[Ukraine:Immediate 30-day ceasefire|Russia:Three-day truce|United States:US 30-day ceasefire proposal]",
			"children=open[Ukraine:Return of all children]",
			"Prisoners of war=agreed[Ukraine:1000-for-1000 exchange]",
			"Leaders' meeting=open[Russia:No meeting]",
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("topics =\n%v\nwant\n%v", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		d := r.Topics[0].Demands[0]
		if want := []Term{{"duration_days", "Duration", "30 days", 30.0, true}, {"unconditional", "Unconditional", "yes", true, true}}; !reflect.DeepEqual(d.Terms, want) {
			t.Errorf("terms = %v, want %v", d.Terms, want)
		}
		if d.Round != "Dolmabahçe round" || d.Priority != "core" || len(d.Objections) != 1 || d.Objections[0].Party != "Russia" {
			t.Errorf("demand = %+v", d)
		}
		rows := r.Topics[0].Terms
		if len(rows) != 2 || rows[0].Key != "duration_days" || len(rows[0].Values) != 3 || rows[0].Values[1] != (TermValue{"Russia", "3 days", "under_discussion", true}) ||
			rows[0].Spread != "gap 27 days: lowest Russia (3 days), highest Ukraine, United States (30 days)" {
			t.Errorf("term rows = %+v", rows)
		}
		if rows[1].Spread != "yes: Ukraine" {
			t.Errorf("boolean row spread = %q", rows[1].Spread)
		}
	})

	t.Run("sources are numbered once in reading order", func(t *testing.T) {
		var got []string
		for _, s := range r.Sources {
			got = append(got, s.Title+"/"+s.Grading)
		}
		if want := []string{"Talks open in Istanbul/B2", "US proposal/A1", "Zelensky statement/B3"}; !reflect.DeepEqual(got, want) {
			t.Errorf("sources = %v, want %v", got, want)
		}
		cease := r.Topics[0]
		refs := []int{cease.Demands[0].Citations[0].Source, cease.Demands[0].Objections[0].Citations[0].Source,
			cease.Demands[1].Citations[0].Source, cease.Demands[2].Citations[0].Source, cease.Demands[2].Endorsements[0].Citations[0].Source}
		if want := []int{1, 1, 1, 2, 3}; !reflect.DeepEqual(refs, want) {
			t.Errorf("claim source numbers = %v, want %v", refs, want)
		}
		if r.Sources[1].GradingText != "completely reliable; confirmed by other sources" {
			t.Errorf("grading text = %q", r.Sources[1].GradingText)
		}
	})
}

func TestBuildReportSince(t *testing.T) {
	before := modelSnapshot()
	before.AsOf = time.Date(2025, 5, 15, 23, 59, 59, 999999000, time.UTC)
	now := modelSnapshot()
	now.Objections[0].State = "resolved"

	r := Build(now, nil, modelTime)
	if r.Since != nil || r.Changes != nil || r.Summary.Changes != 0 {
		t.Errorf("no since: since %v, changes %v, count %d; want none", r.Since, r.Changes, r.Summary.Changes)
	}
	r = Build(now, domain.Compare(before, now), modelTime)
	if r.Since == nil || !r.Since.Equal(time.Date(2025, 5, 16, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("since = %v, want the start of 16 May", r.Since)
	}
	if r.Changes == nil || r.Summary.Changes != 1 {
		t.Fatalf("changes = %+v, count %d; want one move", r.Changes, r.Summary.Changes)
	}
	ceasefire := r.Changes.Topics[0]
	// With the objection resolved, Ukraine's 30 days against Russia's 3
	// is what is left: the principals diverge on a defined term.
	if ceasefire.Summary != "contested → divergent" {
		t.Errorf("ceasefire went %q, want contested → divergent", ceasefire.Summary)
	}
	if got := ceasefire.Moves[0].Summary; got != "Russia's objection to “Immediate 30-day ceasefire” resolved" {
		t.Errorf("move = %q", got)
	}
	b, _ := json.Marshal(r)
	if !strings.Contains(string(b), `"changes":{"negotiation_id"`) {
		t.Errorf("report JSON does not carry the comparison as changes: %.300s", b)
	}
}

func TestLevelNoteOnlyWhenPrincipalsDiffer(t *testing.T) {
	tests := []struct {
		name   string
		levels [2]string
		want   bool
	}{
		{"same level", [2]string{"ministerial", "ministerial"}, false},
		{"head of state against technical", [2]string{"head_of_state", "technical"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := modelSnapshot()
			s.Delegations[0].Level, s.Delegations[1].Level = domain.DelegationLevel(tt.levels[0]), domain.DelegationLevel(tt.levels[1])
			got := Build(s, nil, modelTime).Rounds[0].LevelNote
			if (got != "") != tt.want {
				t.Errorf("level note = %q, want one: %v", got, tt.want)
			}
		})
	}
}

// TestRelativeGap: ranges compare by their gap over their largest
// magnitude, a split is as wide as it gets, agreement and dates count 0.
func TestRelativeGap(t *testing.T) {
	for _, c := range []struct {
		name string
		row  domain.TermRow
		want float64
	}{
		{"days", domain.TermRow{Ranges: []domain.TermRange{{Min: 3.0, Max: 30.0}}}, 0.9},
		{"trucks", domain.TermRow{Ranges: []domain.TermRange{{Min: 9000.0, Max: 10000.0}}}, 0.1},
		{"money, widest currency", domain.TermRow{Ranges: []domain.TermRange{{Min: "100", Max: "100"}, {Min: "150", Max: "300"}}}, 0.5},
		{"agreed", domain.TermRow{Ranges: []domain.TermRange{{Min: 33.0, Max: 33.0}}}, 0},
		{"dates", domain.TermRow{Ranges: []domain.TermRange{{Min: "2025-01-19", Max: "2025-03-01"}}}, 0},
		{"split", domain.TermRow{SplitOrder: []string{"true", "false"}}, 1},
		{"one value", domain.TermRow{SplitOrder: []string{"true"}}, 0},
	} {
		if got := relativeGap(c.row); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: relativeGap = %v, want %v", c.name, got, c.want)
		}
	}
}
