package api_test

import (
	"net/http"
	"testing"

	"github.com/parley/parley/domain"
)

func TestCategoriesFilterDemandsAcrossNegotiations(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	cats := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/categories", Token: e.viewer})
	if items := cats.items(); len(items) != len(domain.Categories) || items[0]["key"] != "ceasefire" || items[0]["label"] == "" || items[0]["description"] == "" {
		t.Fatalf("categories: %s", cats.Body)
	}
	// The world's topic is a ceasefire; a second negotiation has its own.
	e.must(http.StatusOK, req{Method: "PATCH", Path: path(domain.KindTopic, w.Topic), Token: e.editor, Body: map[string]any{"category": "ceasefire"}})
	gaza := e.create(domain.KindNegotiation, map[string]any{"title": "Gaza talks", "started_on": "2025-01-15",
		"participants": []map[string]any{{"party_id": w.PartyA, "role": "principal"}, {"party_id": w.PartyC, "role": "mediator"}}})["id"].(string)
	truce := e.create(domain.KindTopic, map[string]any{"negotiation_id": gaza, "title": "Truce", "category": "ceasefire"})["id"].(string)
	hostages := e.create(domain.KindTopic, map[string]any{"negotiation_id": gaza, "title": "Hostages", "category": "prisoners_detainees"})["id"].(string)
	phased := e.create(domain.KindDemand, map[string]any{"negotiation_id": gaza, "party_id": w.PartyA, "topic_id": truce, "title": "Phased truce", "stated_on": "2025-01-15"})["id"].(string)
	e.create(domain.KindDemand, map[string]any{"negotiation_id": gaza, "party_id": w.PartyA, "topic_id": hostages, "title": "All for all", "stated_on": "2025-01-15"})

	list := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/demands?category=ceasefire", Token: e.viewer}).items()
	if len(list) != 2 || list[0]["id"] != w.Demand || list[1]["id"] != phased {
		t.Errorf("ceasefire demands: %v, want the world's and Gaza's", list)
	}
	one := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/demands?category=ceasefire&negotiation_id=" + gaza, Token: e.viewer}).items()
	if len(one) != 1 || one[0]["id"] != phased {
		t.Errorf("ceasefire demands in Gaza: %v", one)
	}
	topics := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/topics?category=prisoners_detainees", Token: e.viewer}).items()
	if len(topics) != 1 || topics[0]["id"] != hostages {
		t.Errorf("prisoner topics: %v", topics)
	}
	wantProblem(t, e.do(req{Method: "GET", Path: "/api/v1/demands?category=truce", Token: e.viewer}), http.StatusUnprocessableEntity, "category")
	wantProblem(t, e.do(req{Method: "GET", Path: "/api/v1/parties?category=ceasefire", Token: e.viewer}), http.StatusUnprocessableEntity, "category")
	wantProblem(t, e.do(req{Method: "POST", Path: "/api/v1/topics", Token: e.editor, Body: map[string]any{"negotiation_id": gaza, "title": "Other", "category": "weather"}}), http.StatusUnprocessableEntity, "category")
}
