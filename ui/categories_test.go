package ui_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
)

func TestCategoryPageComparesNegotiations(t *testing.T) {
	app := newApp(t)
	ctx := context.Background()
	ukraine := app.partyID("Ukraine")
	gaza := &domain.Negotiation{Title: "Gaza <talks>", StartedOn: "2025-01-15", Participants: []domain.Participant{{PartyID: ukraine, Role: "observer"}}}
	if err := app.store.Create(ctx, "test", gaza, domain.Dating{}); err != nil {
		t.Fatal(err)
	}
	truce := &domain.Topic{NegotiationID: gaza.ID, Title: "Truce", Category: "ceasefire"}
	if err := app.store.Create(ctx, "test", truce, domain.Dating{}); err != nil {
		t.Fatal(err)
	}
	phased := &domain.Demand{NegotiationID: gaza.ID, PartyID: ukraine, TopicID: truce.ID, Title: "A phased truce", StatedOn: "2025-01-15"}
	if err := app.store.Create(ctx, "test", phased, domain.Dating{}); err != nil {
		t.Fatal(err)
	}
	viewer := app.signIn("viewer")
	code, body, _ := viewer.get("/categories/ceasefire")
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	istanbul := strings.Index(body, "Istanbul talks, May 2025")
	other := strings.Index(body, "Gaza &lt;talks&gt;")
	if istanbul < 0 || other < 0 || !strings.Contains(body, `href="/demands/`+phased.ID+`"`) || !strings.Contains(body, "30-day") {
		t.Errorf("the ceasefire page does not show both negotiations' demands:\n%s", body)
	}
	if strings.Contains(body, "Prisoners of war") {
		t.Errorf("the ceasefire page shows another category's demands")
	}
	if code, _, _ := viewer.get("/categories/weather"); code != http.StatusNotFound {
		t.Errorf("unknown category: %d, want 404", code)
	}
	if code, body, _ := viewer.get("/categories"); code != http.StatusOK || !strings.Contains(body, `href="/categories/prisoners_detainees"`) {
		t.Errorf("categories list: %d", code)
	}
	code, body, _ = viewer.get("/negotiations/" + app.negotiation + "/matrix")
	if code != http.StatusOK || !strings.Contains(body, `<a class="category" href="/categories/children">Children</a>`) {
		t.Errorf("the matrix does not show the topics' categories")
	}
}
