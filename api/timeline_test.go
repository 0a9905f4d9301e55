package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
)

// TestTimeline moves the world's ceasefire demand from 30 to 45 days a day
// after it was made, and reads the timeline now, as of the first day and
// with bad parameters.
func TestTimeline(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	e.must(http.StatusOK, req{Method: "PATCH", Path: path(domain.KindDemand, w.Demand), Token: e.editor,
		Body: map[string]any{"terms": map[string]any{"duration_days": 45}, "effective_on": "2025-05-17", "change_note": "offered more"}})
	n := "/api/v1/negotiations/" + w.Negotiation + "/timeline"

	tests := []struct {
		name   string
		query  string
		points string
		end    string
	}{
		{"now", "", "30@2025-05-16T00:00:00Z 45@2025-05-17T00:00:00Z", "2025-05-17T00:00:00Z"},
		{"as of the first day", "?as_of=2025-05-16", "30@2025-05-16T00:00:00Z", "2025-05-16T23:59:59.999999Z"},
		{"as of the round", "?as_of_round=" + w.Round, "30@2025-05-16T00:00:00Z", "2025-05-16T23:59:59.999999Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.with(t).must(http.StatusOK, req{Method: "GET", Path: n + tt.query, Token: e.viewer})
			var tl domain.Timeline
			if err := json.Unmarshal(r.Body, &tl); err != nil {
				t.Fatal(err)
			}
			if got := tl.End.UTC().Format("2006-01-02T15:04:05.999999Z"); got != tt.end {
				t.Errorf("end = %s, want %s", got, tt.end)
			}
			if len(tl.Rounds) != 1 || tl.Rounds[0].ID != w.Round {
				t.Errorf("rounds = %+v", tl.Rounds)
			}
			if len(tl.Topics) != 1 || tl.Topics[0].TopicID != w.Topic || len(tl.Topics[0].Bands) == 0 {
				t.Fatalf("topics = %+v", tl.Topics)
			}
			if got := tl.Topics[0].Bands[0].State; got != "contested" {
				t.Errorf("state = %s, want contested (Russia objects)", got)
			}
			var points []string
			for _, tr := range tl.Topics[0].Terms {
				for _, s := range tr.Series {
					if tr.Term != "duration_days" || s.Party != "Ukraine" {
						t.Errorf("series %s of %s", tr.Term, s.Party)
					}
					for _, p := range s.Points {
						points = append(points, fmt.Sprintf("%s@%s", domain.FormatTerm(*p.Value), p.At.UTC().Format("2006-01-02T15:04:05Z")))
					}
				}
			}
			if got := strings.Join(points, " "); got != tt.points {
				t.Errorf("points = %s, want %s", got, tt.points)
			}
		})
	}
	// Before anything took effect there is nothing to draw: the store
	// answers that the negotiation did not exist yet, or with an empty
	// negotiation, whose timeline has no topics and no rounds.
	if r := e.do(req{Method: "GET", Path: n + "?as_of=2001-01-01", Token: e.viewer}); r.Code != http.StatusNotFound {
		var tl domain.Timeline
		if err := json.Unmarshal(r.Body, &tl); r.Code != http.StatusOK || err != nil || len(tl.Topics)+len(tl.Rounds) != 0 {
			t.Errorf("as of 2001: status %d: %s", r.Code, r.Body)
		}
	}
	for _, tt := range []struct {
		name   string
		path   string
		token  string
		status int
		field  string
	}{
		{"as_of not a time", n + "?as_of=soon", e.viewer, 422, "as_of"},
		{"as_of_round of another negotiation", n + "?as_of_round=" + newID(), e.viewer, 422, "as_of_round"},
		{"recorded_as_of not a time", n + "?recorded_as_of=x", e.viewer, 422, "recorded_as_of"},
		{"unknown negotiation", "/api/v1/negotiations/" + newID() + "/timeline", e.viewer, 404, ""},
		{"no token", n, "", 401, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := e.with(t).must(tt.status, req{Method: "GET", Path: tt.path, Token: tt.token})
			if tt.field != "" && !strings.Contains(string(r.Body), `"`+tt.field+`"`) {
				t.Errorf("the problem does not name %s: %s", tt.field, r.Body)
			}
		})
	}
}
