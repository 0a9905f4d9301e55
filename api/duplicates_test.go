package api_test

import (
	"net/http"
	"testing"

	"github.com/parley/parley/domain"
)

func TestDuplicatesAre409NamingTheOtherRecord(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	tests := []struct {
		name  string
		kind  domain.Kind
		body  map[string]any
		field string
		with  string
	}{
		{"a party named like another's alias", domain.KindParty, map[string]any{"name": "RUSSIAN FEDERATION"}, "name", w.PartyB},
		{"an alias that is another party's name", domain.KindParty, map[string]any{"name": "Kyiv", "aliases": []string{"Kyiv side", "ukraine"}}, "aliases[1]", w.PartyA},
		{"a second delegation of a party to a round", domain.KindDelegation, map[string]any{"round_id": w.Round, "party_id": w.PartyA}, "party_id", w.Delegation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.with(t).do(req{Method: "POST", Path: "/api/v1/" + string(tt.kind), Token: e.editor, Body: tt.body})
			wantProblem(t, r, http.StatusConflict, tt.field)
			with, _ := r.JSON["conflicts_with"].(map[string]any)
			if with == nil || with["id"] != tt.with || with["name"] == "" || with["kind"] == "" {
				t.Errorf("conflicts_with %v, want it to name %s: %s", r.JSON["conflicts_with"], tt.with, r.Body)
			}
		})
	}
}
