package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/parley/parley/api"
	"github.com/parley/parley/domain"
	"github.com/parley/parley/server"
	"github.com/parley/parley/store"
	"github.com/parley/parley/store/storetest"
	"github.com/parley/parley/ui"
)

// env is one test's server over a real SQLite file, with a user of each role.
type env struct {
	t      *testing.T
	store  *store.Store
	e      *echo.Echo
	viewer string
	editor string
	admin  string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	s := storetest.Open(t)
	_, viewer := storetest.User(t, s, "viewer")
	_, editor := storetest.User(t, s, "editor")
	_, admin := storetest.User(t, s, "admin")
	// Tests fire hundreds of requests a second from one address; the rate
	// limit is off here and proven by its own tests.
	return &env{t: t, store: s, e: server.New(s, api.Options{RateLimit: -1}, ui.Options{}), viewer: viewer, editor: editor, admin: admin}
}

// resp is a recorded response with its body decoded when it is JSON.
type resp struct {
	Code   int
	Header http.Header
	Body   []byte
	JSON   map[string]any
}

func (r *resp) str(key string) string {
	s, _ := r.JSON[key].(string)
	return s
}

func (r *resp) items() []map[string]any {
	raw, _ := r.JSON["items"].([]any)
	out := make([]map[string]any, len(raw))
	for i, x := range raw {
		out[i], _ = x.(map[string]any)
	}
	return out
}

// req describes one request; Body is marshalled to JSON unless it is a
// string or []byte, sent as is.
type req struct {
	Method  string
	Path    string
	Token   string
	Body    any
	Type    string // Content-Type; application/json when a body is given
	Remote  string // the client's address; httptest's default when empty
	Headers map[string]string
}

func (e *env) do(r req) *resp {
	e.t.Helper()
	var body []byte
	switch b := r.Body.(type) {
	case nil:
	case string:
		body = []byte(b)
	case []byte:
		body = b
	default:
		var err error
		if body, err = json.Marshal(b); err != nil {
			e.t.Fatal(err)
		}
	}
	hr := httptest.NewRequest(r.Method, r.Path, bytes.NewReader(body))
	if r.Body != nil {
		ct := r.Type
		if ct == "" {
			ct = "application/json"
		}
		hr.Header.Set("Content-Type", ct)
	}
	if r.Token != "" {
		hr.Header.Set("Authorization", "Bearer "+r.Token)
	}
	if r.Remote != "" {
		hr.RemoteAddr = r.Remote
	}
	for k, v := range r.Headers {
		hr.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.e.ServeHTTP(rec, hr)
	out := &resp{Code: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	if strings.Contains(rec.Header().Get("Content-Type"), "json") && rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &out.JSON); err != nil {
			e.t.Fatalf("%s %s: response is not a JSON object: %v: %s", r.Method, r.Path, err, rec.Body.String())
		}
	}
	return out
}

// must sends r and fails the test unless the status is want.
func (e *env) must(want int, r req) *resp {
	e.t.Helper()
	got := e.do(r)
	if got.Code != want {
		e.t.Fatalf("%s %s: status %d, want %d: %s", r.Method, r.Path, got.Code, want, got.Body)
	}
	return got
}

// create posts body to the collection as the editor and returns the resource.
func (e *env) create(k domain.Kind, body map[string]any) map[string]any {
	e.t.Helper()
	return e.must(http.StatusCreated, req{Method: "POST", Path: "/api/v1/" + string(k), Token: e.editor, Body: body}).JSON
}

// wantProblem checks that r is a problem+json of status, and that each of
// fields has an entry in its errors.
func wantProblem(t *testing.T, r *resp, status int, fields ...string) {
	t.Helper()
	if r.Code != status {
		t.Fatalf("status %d, want %d: %s", r.Code, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q, want application/problem+json", ct)
	}
	if !strings.HasPrefix(r.str("type"), "https://parley.dev/problems/") || r.str("title") == "" || r.str("detail") == "" {
		t.Fatalf("problem lacks type, title or detail: %s", r.Body)
	}
	if n, _ := r.JSON["status"].(float64); int(n) != status {
		t.Fatalf("problem status %v, want %d", r.JSON["status"], status)
	}
	got := errorFields(r)
	for _, f := range fields {
		if !got[f] {
			t.Fatalf("problem does not name field %q: %s", f, r.Body)
		}
	}
}

func errorFields(r *resp) map[string]bool {
	got := map[string]bool{}
	errs, _ := r.JSON["errors"].([]any)
	for _, x := range errs {
		m, _ := x.(map[string]any)
		f, _ := m["field"].(string)
		got[f] = true
	}
	return got
}

// world is a small negotiation with one resource of every kind.
type world struct {
	PartyA, PartyB, PartyC string // Ukraine and Russia (principals), Turkey (host)
	Negotiation            string
	Round, Delegation      string
	Topic, Demand          string // the demand is PartyA's
	Objection, Endorsement string // by PartyB and PartyC
	Rebuttal               string // PartyA's answer to the objection
	IDs                    map[domain.Kind]string
	seq                    *atomic.Int64
}

func (e *env) world() *world {
	e.t.Helper()
	w := &world{IDs: map[domain.Kind]string{}, seq: new(atomic.Int64)}
	w.PartyA = e.create(domain.KindParty, map[string]any{"name": "Ukraine", "short_name": "UA", "aliases": []string{"Ukrainian side"}})["id"].(string)
	w.PartyB = e.create(domain.KindParty, map[string]any{"name": "Russia", "aliases": []string{"Russian Federation", "RF"}})["id"].(string)
	w.PartyC = e.create(domain.KindParty, map[string]any{"name": "Turkey", "kind": "state"})["id"].(string)
	w.Negotiation = e.create(domain.KindNegotiation, map[string]any{
		"title": "Istanbul talks", "started_on": "2025-05-16",
		"participants": []map[string]any{
			{"party_id": w.PartyA, "role": "principal"},
			{"party_id": w.PartyB, "role": "principal"},
			{"party_id": w.PartyC, "role": "host"},
		},
	})["id"].(string)
	w.Round = e.create(domain.KindRound, map[string]any{"negotiation_id": w.Negotiation, "title": "Dolmabahçe round", "starts_on": "2025-05-16", "host_party_id": w.PartyC})["id"].(string)
	w.Delegation = e.create(domain.KindDelegation, map[string]any{"round_id": w.Round, "party_id": w.PartyA, "head_name": "Rustem Umerov", "level": "ministerial"})["id"].(string)
	w.Topic = e.create(domain.KindTopic, map[string]any{"negotiation_id": w.Negotiation, "title": "Ceasefire"})["id"].(string)
	w.Demand = e.create(domain.KindDemand, map[string]any{
		"negotiation_id": w.Negotiation, "party_id": w.PartyA, "topic_id": w.Topic, "round_id": w.Round,
		"title": "30-day ceasefire", "stated_on": "2025-05-16", "terms": map[string]any{"duration_days": 30},
	})["id"].(string)
	w.Objection = e.create(domain.KindObjection, map[string]any{"demand_id": w.Demand, "party_id": w.PartyB, "grounds": "would let Ukraine rest its forces", "stated_on": "2025-05-16", "round_id": w.Round})["id"].(string)
	w.Endorsement = e.create(domain.KindEndorsement, map[string]any{"demand_id": w.Demand, "party_id": w.PartyC, "stated_on": "2025-05-16", "round_id": w.Round})["id"].(string)
	w.Rebuttal = e.create(domain.KindRebuttal, map[string]any{"objection_id": w.Objection, "party_id": w.PartyA, "grounds": "a truce is the way to talks", "stated_on": "2025-05-16", "round_id": w.Round})["id"].(string)
	w.IDs = map[domain.Kind]string{
		domain.KindParty: w.PartyA, domain.KindNegotiation: w.Negotiation, domain.KindRound: w.Round,
		domain.KindDelegation: w.Delegation, domain.KindTopic: w.Topic, domain.KindDemand: w.Demand,
		domain.KindObjection: w.Objection, domain.KindRebuttal: w.Rebuttal, domain.KindEndorsement: w.Endorsement,
	}
	return w
}

// valid returns a create body for a new resource of kind k inside w; names
// and titles that must be unique get a fresh suffix.
func (w *world) valid(k domain.Kind) map[string]any {
	n := w.seq.Add(1)
	switch k {
	case domain.KindParty:
		return map[string]any{"name": fmt.Sprintf("Party %d", n), "kind": "organization"}
	case domain.KindNegotiation:
		return map[string]any{"title": fmt.Sprintf("Talks %d", n), "status": "active", "started_on": "2025-01-01",
			"participants": []map[string]any{{"party_id": w.PartyA, "role": "principal"}}}
	case domain.KindRound:
		return map[string]any{"negotiation_id": w.Negotiation, "title": fmt.Sprintf("Round %d", n), "starts_on": "2025-06-01", "format": "mediated"}
	case domain.KindDelegation:
		return map[string]any{"round_id": w.Round, "party_id": w.PartyB, "level": "technical", "members": []map[string]any{{"name": "Vladimir Medinsky"}}}
	case domain.KindTopic:
		return map[string]any{"negotiation_id": w.Negotiation, "title": fmt.Sprintf("Topic %d", n)}
	case domain.KindDemand:
		return map[string]any{"negotiation_id": w.Negotiation, "party_id": w.PartyB, "topic_id": w.Topic,
			"title": fmt.Sprintf("Demand %d", n), "stated_on": "2025-05-16", "status": "tabled",
			"citations": []map[string]any{{"title": "Live report", "url": "https://example.org/live", "reliability": "B", "credibility": 2}}}
	case domain.KindObjection:
		return map[string]any{"demand_id": w.Demand, "party_id": w.PartyC, "grounds": fmt.Sprintf("grounds %d", n), "stated_on": "2025-05-16", "kind": "condition", "round_id": w.Round}
	case domain.KindRebuttal:
		return map[string]any{"objection_id": w.Objection, "party_id": w.PartyC, "grounds": fmt.Sprintf("answer %d", n), "stated_on": "2025-05-17", "round_id": w.Round}
	case domain.KindEndorsement:
		return map[string]any{"demand_id": w.Demand, "party_id": w.PartyB, "stated_on": "2025-05-17", "note": fmt.Sprintf("note %d", n), "round_id": w.Round}
	}
	panic("unknown kind " + k)
}

// textField is a plain text field of each kind that a patch can change.
var textField = map[domain.Kind]string{
	domain.KindParty: "notes", domain.KindNegotiation: "description", domain.KindRound: "summary",
	domain.KindDelegation: "notes", domain.KindTopic: "description", domain.KindDemand: "details",
	domain.KindObjection: "grounds", domain.KindRebuttal: "grounds", domain.KindEndorsement: "note",
}

func path(k domain.Kind, id string) string { return "/api/v1/" + string(k) + "/" + id }

func newID() string { return uuid.NewString() }

var fixedNow = time.Date(2025, 5, 16, 12, 0, 0, 0, time.UTC)

// with is e for a subtest: failures are reported on t.
func (e *env) with(t *testing.T) *env {
	c := *e
	c.t = t
	return &c
}
