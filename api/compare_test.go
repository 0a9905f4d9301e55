package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley/parley/api"
	"github.com/parley/parley/domain"
	"github.com/parley/parley/server"
	"github.com/parley/parley/ui"
)

// backfilled is a negotiation entered after the fact, its moves dated in
// negotiation time: round 1 (7–10 Jan 2025) where Israel asks for a
// 1,000 m buffer zone and Hamas objects; round 2 (3–5 Feb) where on the
// 4th Israel comes down to 700 m and the objection is resolved, and on
// the 5th Hamas endorses the demand. The round-2 moves are recorded out
// of order: the endorsement first, the objection's resolution last.
type backfilled struct {
	negotiation, round1, round2, topic string
	israel, hamas, qatar               string
	demand, objection, endorsement     string
	// knownBeforeResolution is a record time after everything but the
	// objection's resolution was typed in.
	knownBeforeResolution time.Time
}

func (e *env) backfilled() *backfilled {
	e.t.Helper()
	b := &backfilled{}
	b.israel = e.partyNamed("Israel")
	b.hamas = e.partyNamed("Hamas")
	b.qatar = e.partyNamed("Qatar")
	b.negotiation = e.create(domain.KindNegotiation, map[string]any{"title": "Gaza ceasefire talks " + newID()[:8], "started_on": "2025-01-06",
		"participants": []map[string]any{{"party_id": b.israel, "role": "principal"}, {"party_id": b.hamas, "role": "principal"}, {"party_id": b.qatar, "role": "mediator"}},
	})["id"].(string)
	b.round1 = e.create(domain.KindRound, map[string]any{"negotiation_id": b.negotiation, "title": "Doha round", "starts_on": "2025-01-07", "ends_on": "2025-01-10"})["id"].(string)
	b.round2 = e.create(domain.KindRound, map[string]any{"negotiation_id": b.negotiation, "title": "Cairo round", "starts_on": "2025-02-03", "ends_on": "2025-02-05"})["id"].(string)
	b.topic = e.create(domain.KindTopic, map[string]any{"negotiation_id": b.negotiation, "title": "Security arrangements"})["id"].(string)
	b.demand = e.create(domain.KindDemand, map[string]any{"negotiation_id": b.negotiation, "party_id": b.israel, "topic_id": b.topic, "round_id": b.round1,
		"title": "Buffer zone along the border", "stated_on": "2025-01-07", "terms": map[string]any{"buffer_zone_m": 1000}})["id"].(string)
	b.objection = e.create(domain.KindObjection, map[string]any{"demand_id": b.demand, "party_id": b.hamas, "grounds": "No <b>occupation</b> of Gaza's land", "stated_on": "2025-01-08"})["id"].(string)
	b.endorsement = e.create(domain.KindEndorsement, map[string]any{"demand_id": b.demand, "party_id": b.hamas, "stated_on": "2025-02-05"})["id"].(string)
	e.must(http.StatusOK, req{Method: "PATCH", Path: path(domain.KindDemand, b.demand), Token: e.editor,
		Body: map[string]any{"terms": map[string]any{"buffer_zone_m": 700}, "effective_on": "2025-02-04", "change_note": "softened under US pressure"}})
	time.Sleep(5 * time.Millisecond)
	b.knownBeforeResolution = time.Now().UTC()
	time.Sleep(5 * time.Millisecond)
	e.must(http.StatusOK, req{Method: "PATCH", Path: path(domain.KindObjection, b.objection), Token: e.editor,
		Body: map[string]any{"status": "resolved", "effective_on": "2025-02-04"}})
	return b
}

// partyNamed is the party of that name, created on first use.
func (e *env) partyNamed(name string) string {
	e.t.Helper()
	page, err := e.store.List(context.Background(), domain.ListQuery{Kind: domain.KindParty, Text: name, Limit: 10})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, p := range page.Items {
		if p.(*domain.Party).Name == name {
			return p.Base().ID
		}
	}
	return e.create(domain.KindParty, map[string]any{"name": name})["id"].(string)
}

func (b *backfilled) compare(q url.Values) string {
	return "/api/v1/negotiations/" + b.negotiation + "/compare?" + q.Encode()
}

// compared is a compare response read for the tests: the backfilled
// topic's states and moves.
type compared struct {
	stateFrom, stateTo any
	moves              []map[string]any
	body               map[string]any
}

func readCompared(t *testing.T, r *resp, topic string) compared {
	t.Helper()
	topics, _ := r.JSON["topics"].([]any)
	for _, x := range topics {
		tc := x.(map[string]any)
		if tc["topic_id"] != topic {
			continue
		}
		c := compared{stateFrom: tc["state_from"], stateTo: tc["state_to"], body: r.JSON}
		for _, m := range tc["moves"].([]any) {
			c.moves = append(c.moves, m.(map[string]any))
		}
		return c
	}
	t.Fatalf("topic %s not in the comparison: %s", topic, r.Body)
	return compared{}
}

func (c compared) summaries() []string {
	var out []string
	for _, m := range c.moves {
		out = append(out, m["summary"].(string))
	}
	return out
}

func TestCompare(t *testing.T) {
	e := newEnv(t)
	b := e.backfilled()
	buffer := "Israel: buffer zone 1,000 m → 700 m (−300 m) on “Buffer zone along the border”"
	resolved := "Hamas' objection to “Buffer zone along the border” resolved"
	endorsed := "Hamas endorses “Buffer zone along the border”"
	tests := []struct {
		name     string
		query    url.Values
		from, to string
		states   [2]any
		moves    []string
	}{
		{"round 1 to round 2", url.Values{"from_round": {b.round1}, "to_round": {b.round2}},
			"2025-01-11T00:00:00Z", "2025-02-05T23:59:59.999999Z", [2]any{"contested", "convergent"}, []string{buffer, resolved, endorsed}},
		{"a day includes its own moves", url.Values{"from": {"2025-02-04"}, "to": {"2025-02-04"}},
			"2025-02-04T00:00:00Z", "2025-02-04T23:59:59.999999Z", [2]any{"contested", "open"}, []string{buffer, resolved}},
		{"the next day holds the endorsement alone", url.Values{"from": {"2025-02-05"}, "to_round": {b.round2}},
			"2025-02-05T00:00:00Z", "2025-02-05T23:59:59.999999Z", [2]any{"open", "convergent"}, []string{endorsed}},
		{"nothing moved after the talks", url.Values{"from": {"2025-02-06"}, "to": {"2025-03-01"}},
			"2025-02-06T00:00:00Z", "2025-03-01T23:59:59.999999Z", [2]any{"convergent", "convergent"}, nil},
		{"before the talks: everything is added", url.Values{"from": {"2024-12-01"}, "to_round": {b.round1}},
			"2024-12-01T00:00:00Z", "2025-01-10T23:59:59.999999Z", [2]any{nil, "contested"}, []string{
				"New topic “Security arrangements”",
				"Israel demands “Buffer zone along the border”: buffer zone 1,000 m",
				"Hamas objects to “Buffer zone along the border” (rejection): “No <b>occupation</b> of Gaza's land”"}},
		{"as recorded before the resolution was typed in", url.Values{"from_round": {b.round1}, "to_round": {b.round2},
			"recorded_as_of": {b.knownBeforeResolution.Format(time.RFC3339Nano)}},
			"2025-01-11T00:00:00Z", "2025-02-05T23:59:59.999999Z", [2]any{"contested", "contested"}, []string{buffer, endorsed}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.with(t).must(http.StatusOK, req{Method: "GET", Path: b.compare(tt.query), Token: e.viewer})
			if r.JSON["from"] != tt.from || r.JSON["to"] != tt.to {
				t.Errorf("window %v … %v, want %s … %s", r.JSON["from"], r.JSON["to"], tt.from, tt.to)
			}
			c := readCompared(t, r, b.topic)
			if c.stateFrom != tt.states[0] || c.stateTo != tt.states[1] {
				t.Errorf("state %v → %v, want %v → %v", c.stateFrom, c.stateTo, tt.states[0], tt.states[1])
			}
			if got := c.summaries(); strings.Join(got, "\n") != strings.Join(tt.moves, "\n") {
				t.Errorf("moves:\n got  %q\n want %q", got, tt.moves)
			}
		})
	}

	// The demand's move in the contract's shape, with its delta.
	r := e.must(http.StatusOK, req{Method: "GET", Path: b.compare(url.Values{"from_round": {b.round1}, "to_round": {b.round2}}), Token: e.viewer})
	m := readCompared(t, r, b.topic).moves[0]
	if m["resource_type"] != "demands" || m["resource_id"] != b.demand || m["party_id"] != b.israel || m["kind"] != "changed" {
		t.Errorf("demand move = %v", m)
	}
	fields := m["fields"].([]any)
	if len(fields) != 1 {
		t.Fatalf("fields = %v, want the buffer zone alone", fields)
	}
	f := fields[0].(map[string]any)
	if f["field"] != "terms.buffer_zone_m" || f["from"] != 1000.0 || f["to"] != 700.0 || f["delta"] != -300.0 {
		t.Errorf("field = %v, want terms.buffer_zone_m 1000 → 700, delta −300", f)
	}
	if f["effective_at"] != nil || m["effective_at"] != "2025-02-04T00:00:00Z" {
		t.Errorf("move took effect %v, want 2025-02-04T00:00:00Z", m["effective_at"])
	}
	// A round takes effect on its first day: round 2 is new in this window.
	var other []string
	for _, o := range r.JSON["other_moves"].([]any) {
		other = append(other, o.(map[string]any)["summary"].(string))
	}
	if want := "New round “Cairo round” (3 Feb 2025 to 5 Feb 2025)"; strings.Join(other, "\n") != want {
		t.Errorf("other moves = %q, want %q", other, want)
	}
}

func TestCompareBadInput(t *testing.T) {
	e := newEnv(t)
	b := e.backfilled()
	other := e.backfilled()
	tests := []struct {
		name   string
		query  url.Values
		fields []string
	}{
		{"from after to", url.Values{"from": {"2025-02-05"}, "to": {"2025-02-04"}}, []string{"from"}},
		{"from_round after to_round", url.Values{"from_round": {b.round2}, "to_round": {b.round1}}, []string{"from_round"}},
		{"the same round on both sides", url.Values{"from_round": {b.round1}, "to_round": {b.round1}}, []string{"from_round"}},
		{"a round of another negotiation", url.Values{"from_round": {other.round1}, "to": {"2025-03-01"}}, []string{"from_round"}},
		{"a round that does not exist", url.Values{"from": {"2025-01-01"}, "to_round": {newID()}}, []string{"to_round"}},
		{"a round that is no id", url.Values{"from_round": {"round 1"}, "to": {"2025-03-01"}}, []string{"from_round"}},
		{"from and from_round both", url.Values{"from": {"2025-01-01"}, "from_round": {b.round1}, "to": {"2025-03-01"}}, []string{"from_round"}},
		{"to and to_round both", url.Values{"from": {"2025-01-01"}, "to": {"2025-03-01"}, "to_round": {b.round2}}, []string{"to_round"}},
		{"from missing", url.Values{"to": {"2025-03-01"}}, []string{"from"}},
		{"to missing", url.Values{"from_round": {b.round1}}, []string{"to"}},
		{"both missing", url.Values{}, []string{"from", "to"}},
		{"bad times", url.Values{"from": {"yesterday"}, "to": {"2025-13-45"}, "recorded_as_of": {"soon"}}, []string{"from", "to", "recorded_as_of"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.with(t).do(req{Method: "GET", Path: b.compare(tt.query), Token: e.viewer})
			wantProblem(t, r, http.StatusUnprocessableEntity, tt.fields...)
			if got := len(errorFields(r)); got != len(tt.fields) {
				t.Errorf("problem names %d fields, want %d: %s", got, len(tt.fields), r.Body)
			}
		})
	}
	wantProblem(t, e.do(req{Method: "GET", Path: "/api/v1/negotiations/" + newID() + "/compare?from=2025-01-01&to=2025-02-01", Token: e.viewer}), http.StatusNotFound)
	if r := e.do(req{Method: "GET", Path: b.compare(url.Values{"from": {"2025-01-01"}, "to": {"2025-02-01"}})}); r.Code != http.StatusUnauthorized {
		t.Errorf("compare without a token: %d, want 401", r.Code)
	}
}

// TestChangesInWords: each item of the changes view keeps the revision and
// says what it did in a sentence, its fields with labels and words.
func TestChangesInWords(t *testing.T) {
	e := newEnv(t)
	b := e.backfilled()
	r := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/negotiations/" + b.negotiation + "/changes?since=2025-02-04&until=2025-02-04", Token: e.viewer})
	items := r.items()
	if len(items) != 2 {
		t.Fatalf("%d changes on 4 Feb, want 2: %s", len(items), r.Body)
	}
	byResource := map[string]map[string]any{}
	for _, it := range items {
		byResource[it["resource_id"].(string)] = it
		for _, k := range []string{"resource_type", "resource_id", "revision", "action", "actor", "at", "effective_at", "change_note", "change_citations", "resource", "summary", "changes"} {
			if _, ok := it[k]; !ok && !(k == "change_note" && it["resource_id"] == b.objection) {
				t.Errorf("item lacks %q: %v", k, it)
			}
		}
	}
	d := byResource[b.demand]
	if d["summary"] != "Israel: buffer zone 1,000 m → 700 m (−300 m) on “Buffer zone along the border”" || d["change_note"] != "softened under US pressure" {
		t.Errorf("demand item = %v", d)
	}
	ch := d["changes"].([]any)[0].(map[string]any)
	if ch["field"] != "terms.buffer_zone_m" || ch["label"] != "buffer zone" || ch["before"] != 1000.0 || ch["after"] != 700.0 ||
		ch["before_text"] != "1,000 m" || ch["after_text"] != "700 m" || ch["delta"] != -300.0 {
		t.Errorf("demand change = %v", ch)
	}
	if o := byResource[b.objection]; o["summary"] != "Hamas' objection to “Buffer zone along the border” resolved" {
		t.Errorf("objection item = %v", o["summary"])
	}
	// A create in words: the endorsement of the 5th.
	r = e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/negotiations/" + b.negotiation + "/changes?since=2025-02-05", Token: e.viewer})
	if items := r.items(); len(items) != 1 || items[0]["summary"] != "Hamas endorses “Buffer zone along the border”" {
		t.Errorf("changes since 5 Feb = %v", items)
	}
}

// countingStore is the real store with a tally of its reads, to prove a
// view reads the same number of times whatever the size of the data.
type countingStore struct {
	domain.Store
	reads atomic.Int64
}

func (s *countingStore) Get(ctx context.Context, k domain.Kind, id string) (domain.Resource, error) {
	s.reads.Add(1)
	return s.Store.Get(ctx, k, id)
}

func (s *countingStore) GetMany(ctx context.Context, k domain.Kind, ids []string) (map[string]domain.Resource, error) {
	s.reads.Add(1)
	return s.Store.GetMany(ctx, k, ids)
}

func (s *countingStore) History(ctx context.Context, k domain.Kind, id string) ([]domain.Revision, error) {
	s.reads.Add(1)
	return s.Store.History(ctx, k, id)
}

func (s *countingStore) Snapshot(ctx context.Context, id string, at domain.Moment) (*domain.Snapshot, error) {
	s.reads.Add(1)
	return s.Store.Snapshot(ctx, id, at)
}

func (s *countingStore) Changes(ctx context.Context, q domain.ChangesQuery) (domain.ChangesPage, error) {
	s.reads.Add(1)
	return s.Store.Changes(ctx, q)
}

// TestViewsReadAFixedNumberOfTimes: a page of changes names its parties,
// topics, rounds and demands with one read per kind, and compare reads two
// snapshots and one round per round named, however many positions moved.
func TestViewsReadAFixedNumberOfTimes(t *testing.T) {
	e := newEnv(t)
	b := e.backfilled()
	for i := 0; i < 30; i++ {
		party := []string{b.israel, b.hamas}[i%2]
		d := e.create(domain.KindDemand, map[string]any{"negotiation_id": b.negotiation, "party_id": party, "topic_id": b.topic, "round_id": b.round2,
			"title": "Demand " + newID()[:8], "stated_on": "2025-02-03", "terms": map[string]any{"buffer_zone_m": 500 + i}})["id"].(string)
		e.create(domain.KindEndorsement, map[string]any{"demand_id": d, "party_id": b.qatar, "stated_on": "2025-02-04"})
	}
	counting := &countingStore{Store: e.store}
	srv := server.New(counting, api.Options{RateLimit: -1}, ui.Options{})
	tests := []struct {
		path  string
		reads int64
	}{
		// Changes, then parties, rounds, topics and demands by id.
		{"/api/v1/negotiations/" + b.negotiation + "/changes?since=2025-01-01&limit=100", 5},
		// Two rounds, two snapshots.
		{b.compare(url.Values{"from_round": {b.round1}, "to_round": {b.round2}}), 4},
	}
	for _, tt := range tests {
		counting.reads.Store(0)
		c := *e
		c.e = srv
		r := c.must(http.StatusOK, req{Method: "GET", Path: tt.path, Token: e.viewer})
		if got := counting.reads.Load(); got != tt.reads {
			t.Errorf("GET %s read the store %d times, want %d", tt.path, got, tt.reads)
		}
		if strings.Contains(tt.path, "/changes") && len(r.items()) < 60 {
			t.Errorf("only %d changes listed", len(r.items()))
		}
	}
}

// TestReportSince: the report's since section is the comparison from since
// to the report's instant; a since after that instant is refused.
func TestReportSince(t *testing.T) {
	e := newEnv(t)
	b := e.backfilled()
	base := "/api/v1/negotiations/" + b.negotiation + "/report?format=markdown"
	r := e.must(http.StatusOK, req{Method: "GET", Path: base + "&since=2025-02-04&as_of_round=" + b.round2, Token: e.viewer})
	for _, want := range []string{
		"## What moved since 2025-02-04 00:00 UTC",
		"### Security arrangements: contested → convergent",
		"- Israel: buffer zone 1,000 m → 700 m (−300 m) on “Buffer zone along the border” (4 Feb 2025)",
		"- Hamas' objection to “Buffer zone along the border” resolved (4 Feb 2025)",
		"- Hamas endorses “Buffer zone along the border” (5 Feb 2025)",
	} {
		if !strings.Contains(string(r.Body), want) {
			t.Errorf("report lacks %q:\n%s", want, r.Body)
		}
	}
	wantProblem(t, e.do(req{Method: "GET", Path: base + "&since=2025-02-06&as_of=2025-02-05", Token: e.viewer}), http.StatusUnprocessableEntity, "since")
}
