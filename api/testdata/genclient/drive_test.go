package parleyclient

// This test is not run by `go test ./...`: TestGeneratedClient in package
// api copies it beside a client that oapi-codegen generates from the served
// OpenAPI document, and runs it against a real server. It uses the client
// as a new user would: the typed methods and models, nothing hand-written
// on the wire.

import (
	"context"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"
)

// newClient signs in with the server's test user and returns a client that
// sends the token it got.
func newClient(t *testing.T) *ClientWithResponses {
	t.Helper()
	server := os.Getenv("PARLEY_CLIENT_SERVER")
	if server == "" {
		t.Fatal("PARLEY_CLIENT_SERVER is not set: run TestGeneratedClient in package api")
	}
	anon, err := NewClientWithResponses(server)
	if err != nil {
		t.Fatal(err)
	}
	login, err := anon.LoginWithResponse(t.Context(), LoginJSONRequestBody{
		Username: os.Getenv("PARLEY_CLIENT_USERNAME"),
		Password: os.Getenv("PARLEY_CLIENT_PASSWORD"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if login.JSON200 == nil {
		t.Fatalf("login: %d %s", login.StatusCode(), login.Body)
	}
	if !login.JSON200.ExpiresAt.After(time.Now()) {
		t.Fatalf("login: the token expires at %v, in the past", login.JSON200.ExpiresAt)
	}
	bearer := func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+login.JSON200.Token)
		return nil
	}
	c, err := NewClientWithResponses(server, WithRequestEditorFn(bearer))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ptr[T any](v T) *T { return &v }

// idOf is a resource's id: read-only, and so optional in the generated
// models, but always in an answer.
func idOf(t *testing.T, id *openapi_types.UUID) openapi_types.UUID {
	t.Helper()
	if id == nil {
		t.Fatal("a resource without an id")
	}
	return *id
}

// table is what the test creates: two principals and a mediator at a
// negotiation with no start date, a round with no end, one topic, one demand.
type table struct {
	ukraine, russia, turkey Party
	negotiation             Negotiation
	round                   Round
	topic                   Topic
	demand                  Demand
}

func setTable(t *testing.T, c *ClientWithResponses) table {
	t.Helper()
	ctx := t.Context()
	var tb table
	for _, p := range []struct {
		into *Party
		name string
	}{{&tb.ukraine, "Ukraine"}, {&tb.russia, "Russia"}, {&tb.turkey, "Turkey"}} {
		r, err := c.CreatePartyWithResponse(ctx, CreatePartyJSONRequestBody{Name: p.name})
		if err != nil {
			t.Fatal(err)
		}
		if r.JSON201 == nil {
			t.Fatalf("create party %s: %d %s", p.name, r.StatusCode(), r.Body)
		}
		*p.into = *r.JSON201
	}
	neg, err := c.CreateNegotiationWithResponse(ctx, CreateNegotiationJSONRequestBody{
		Title: "Istanbul talks",
		Participants: &[]Participant{
			{PartyId: idOf(t, tb.ukraine.Id), Role: ParticipantRolePrincipal},
			{PartyId: idOf(t, tb.russia.Id), Role: ParticipantRolePrincipal},
			{PartyId: idOf(t, tb.turkey.Id), Role: ParticipantRoleMediator},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if neg.JSON201 == nil {
		t.Fatalf("create negotiation: %d %s", neg.StatusCode(), neg.Body)
	}
	tb.negotiation = *neg.JSON201
	if tb.negotiation.StartedOn != nil {
		t.Errorf("started_on was not given, yet reads %v", *tb.negotiation.StartedOn)
	}
	round, err := c.CreateRoundWithResponse(ctx, CreateRoundJSONRequestBody{
		NegotiationId: idOf(t, tb.negotiation.Id),
		Title:         "First round",
		StartsOn:      openapi_types.Date{Time: time.Date(2025, 5, 16, 0, 0, 0, 0, time.UTC)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if round.JSON201 == nil {
		t.Fatalf("create round: %d %s", round.StatusCode(), round.Body)
	}
	tb.round = *round.JSON201
	if tb.round.EndsOn != nil || tb.round.HostPartyId != nil {
		t.Errorf("ends_on and host_party_id were not given, yet read %v and %v", tb.round.EndsOn, tb.round.HostPartyId)
	}
	topic, err := c.CreateTopicWithResponse(ctx, CreateTopicJSONRequestBody{NegotiationId: idOf(t, tb.negotiation.Id), Title: "Ceasefire"})
	if err != nil {
		t.Fatal(err)
	}
	if topic.JSON201 == nil {
		t.Fatalf("create topic: %d %s", topic.StatusCode(), topic.Body)
	}
	tb.topic = *topic.JSON201
	demand, err := c.CreateDemandWithResponse(ctx, CreateDemandJSONRequestBody{
		NegotiationId: idOf(t, tb.negotiation.Id),
		PartyId:       idOf(t, tb.ukraine.Id),
		TopicId:       idOf(t, tb.topic.Id),
		Title:         "30-day ceasefire",
		StatedOn:      openapi_types.Date{Time: time.Date(2025, 5, 16, 0, 0, 0, 0, time.UTC)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if demand.JSON201 == nil {
		t.Fatalf("create demand: %d %s", demand.StatusCode(), demand.Body)
	}
	tb.demand = *demand.JSON201
	if tb.demand.RoundId != nil {
		t.Errorf("round_id was not given, yet reads %v", *tb.demand.RoundId)
	}
	return tb
}

func TestGeneratedClientDrivesTheServer(t *testing.T) {
	c := newClient(t)
	tb := setTable(t, c)
	t.Run("conditional patch", func(t *testing.T) { conditionalPatch(t, c, tb) })
	t.Run("invalid create", func(t *testing.T) { invalidCreate(t, c, tb) })
	t.Run("list with cursor", func(t *testing.T) { listWithCursor(t, c) })
	t.Run("matrix", func(t *testing.T) { matrix(t, c, tb) })
	t.Run("report", func(t *testing.T) { report(t, c, tb) })
}

// conditionalPatch changes the negotiation with If-Match set to the ETag
// it read, then sends the same, now stale, ETag again: a 412 problem.
func conditionalPatch(t *testing.T, c *ClientWithResponses, tb table) {
	ctx := t.Context()
	got, err := c.GetNegotiationWithResponse(ctx, idOf(t, tb.negotiation.Id))
	if err != nil {
		t.Fatal(err)
	}
	if got.JSON200 == nil {
		t.Fatalf("get negotiation: %d %s", got.StatusCode(), got.Body)
	}
	etag := got.HTTPResponse.Header.Get("ETag")
	if etag != strconv.Quote(strconv.Itoa(*got.JSON200.Version)) {
		t.Fatalf("ETag %q does not name version %d", etag, *got.JSON200.Version)
	}
	patch := PatchNegotiationJSONRequestBody{Status: ptr(NegotiationPatchStatusSuspended), StartedOn: &openapi_types.Date{Time: time.Date(2025, 5, 16, 0, 0, 0, 0, time.UTC)}}
	changed, err := c.PatchNegotiationWithResponse(ctx, idOf(t, tb.negotiation.Id), &PatchNegotiationParams{IfMatch: &etag}, patch)
	if err != nil {
		t.Fatal(err)
	}
	if changed.JSON200 == nil {
		t.Fatalf("patch with a fresh If-Match: %d %s", changed.StatusCode(), changed.Body)
	}
	if *changed.JSON200.Version != *got.JSON200.Version+1 || changed.JSON200.Status != NegotiationStatusSuspended ||
		changed.JSON200.StartedOn == nil || changed.JSON200.StartedOn.String() != "2025-05-16" {
		t.Errorf("patched negotiation: version %d, status %s, started_on %v", *changed.JSON200.Version, changed.JSON200.Status, changed.JSON200.StartedOn)
	}
	stale, err := c.PatchNegotiationWithResponse(ctx, idOf(t, tb.negotiation.Id), &PatchNegotiationParams{IfMatch: &etag},
		PatchNegotiationJSONRequestBody{Status: ptr(NegotiationPatchStatusConcluded)})
	if err != nil {
		t.Fatal(err)
	}
	if stale.StatusCode() != http.StatusPreconditionFailed || stale.ApplicationproblemJSON412 == nil {
		t.Fatalf("patch with a stale If-Match: %d %s", stale.StatusCode(), stale.Body)
	}
	if p := stale.ApplicationproblemJSON412; p.Status != http.StatusPreconditionFailed || p.Title == "" || p.Detail == "" {
		t.Errorf("412 problem: %+v", p)
	}
}

// invalidCreate sends a demand with an empty title and a topic that does
// not exist: a 422 problem naming both fields.
func invalidCreate(t *testing.T, c *ClientWithResponses, tb table) {
	nowhere := openapi_types.UUID{0x0f, 0xf0}
	r, err := c.CreateDemandWithResponse(t.Context(), CreateDemandJSONRequestBody{
		NegotiationId: idOf(t, tb.negotiation.Id),
		PartyId:       idOf(t, tb.ukraine.Id),
		TopicId:       nowhere,
		Title:         " ",
		StatedOn:      openapi_types.Date{Time: time.Date(2025, 5, 16, 0, 0, 0, 0, time.UTC)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.StatusCode() != http.StatusUnprocessableEntity || r.ApplicationproblemJSON422 == nil {
		t.Fatalf("invalid demand: %d %s", r.StatusCode(), r.Body)
	}
	p := r.ApplicationproblemJSON422
	if p.Status != http.StatusUnprocessableEntity || p.Errors == nil {
		t.Fatalf("422 problem: %+v", p)
	}
	named := map[string]bool{}
	for _, e := range *p.Errors {
		named[e.Field] = e.Message != ""
	}
	if !named["title"] || !named["topic_id"] {
		t.Errorf("422 problem names %v, want title and topic_id with messages", named)
	}
}

// listWithCursor pages through the parties two at a time until
// next_cursor is null, and finds every party once.
func listWithCursor(t *testing.T, c *ClientWithResponses) {
	ctx := t.Context()
	for i := range 3 {
		r, err := c.CreatePartyWithResponse(ctx, CreatePartyJSONRequestBody{Name: "Party " + strconv.Itoa(i)})
		if err != nil || r.JSON201 == nil {
			t.Fatalf("create party %d: %v %s", i, err, r.Body)
		}
	}
	seen := map[openapi_types.UUID]int{}
	params := &ListPartiesParams{Limit: ptr(2)}
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("next_cursor never ends")
		}
		page, err := c.ListPartiesWithResponse(ctx, params)
		if err != nil {
			t.Fatal(err)
		}
		if page.JSON200 == nil {
			t.Fatalf("list parties: %d %s", page.StatusCode(), page.Body)
		}
		if len(page.JSON200.Items) > 2 {
			t.Fatalf("a page of limit 2 holds %d parties", len(page.JSON200.Items))
		}
		for _, p := range page.JSON200.Items {
			seen[idOf(t, p.Id)]++
		}
		if page.JSON200.NextCursor == nil {
			break
		}
		params.Cursor = page.JSON200.NextCursor
	}
	if len(seen) != 6 {
		t.Errorf("paging found %d parties, want 6", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("party %s listed %d times", id, n)
		}
	}
	// Every negotiation decodes, the one without started_on included.
	negs, err := c.ListNegotiationsWithResponse(ctx, &ListNegotiationsParams{})
	if err != nil {
		t.Fatal(err)
	}
	if negs.JSON200 == nil || len(negs.JSON200.Items) != 1 {
		t.Fatalf("list negotiations: %d %s", negs.StatusCode(), negs.Body)
	}
}

// matrix reads the comparison: the negotiation's participants as columns,
// its topic as a row, Ukraine's demand in its cell.
func matrix(t *testing.T, c *ClientWithResponses, tb table) {
	r, err := c.GetMatrixWithResponse(t.Context(), idOf(t, tb.negotiation.Id), &GetMatrixParams{})
	if err != nil {
		t.Fatal(err)
	}
	if r.JSON200 == nil {
		t.Fatalf("matrix: %d %s", r.StatusCode(), r.Body)
	}
	// The matrix answers in one of two forms; without compact=true, the full one.
	m, err := r.JSON200.AsMatrix()
	if err != nil {
		t.Fatalf("matrix: %v\n%s", err, r.Body)
	}
	if idOf(t, m.Negotiation.Id) != idOf(t, tb.negotiation.Id) || len(m.Parties) != 3 || len(m.Topics) != 1 {
		t.Fatalf("matrix of %s: %d parties, %d topics", m.Negotiation.Title, len(m.Parties), len(m.Topics))
	}
	found := false
	for _, cell := range m.Cells {
		for _, d := range cell.Demands {
			found = found || (idOf(t, d.Id) == idOf(t, tb.demand.Id) && cell.PartyId == idOf(t, tb.ukraine.Id) && cell.TopicId == idOf(t, tb.topic.Id))
		}
	}
	if !found {
		t.Errorf("Ukraine's demand is not in its cell: %s", r.Body)
	}
}

// report asks for the Markdown status report.
func report(t *testing.T, c *ClientWithResponses, tb table) {
	r, err := c.GetReportWithResponse(t.Context(), idOf(t, tb.negotiation.Id), &GetReportParams{Format: GetReportParamsFormatMarkdown})
	if err != nil {
		t.Fatal(err)
	}
	if r.StatusCode() != http.StatusOK || !strings.Contains(string(r.Body), "Istanbul talks") || !strings.Contains(string(r.Body), "30-day ceasefire") {
		t.Fatalf("report: %d %s", r.StatusCode(), r.Body)
	}
	if cd := r.HTTPResponse.Header.Get("Content-Disposition"); !strings.Contains(cd, ".md") {
		t.Errorf("report Content-Disposition %q", cd)
	}
}
