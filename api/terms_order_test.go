package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/parley/parley/domain"
)

// TestTermsKeepTheOrderGiven: a demand's terms keep
// the order the body wrote them in (a JSON object read into a map forgets
// it), a patch adding a term puts it last, and term_order sets the order
// outright.
func TestTermsKeepTheOrderGiven(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	body := fmt.Sprintf(`{"negotiation_id":%q,"party_id":%q,"topic_id":%q,"title":"Phased deal","stated_on":"2025-05-16",`+
		`"terms":{"phase1_days":42,"hostages_released":33,"buffer_zone_m":700}}`, w.Negotiation, w.PartyB, w.Topic)
	created := e.must(http.StatusCreated, req{Method: "POST", Path: "/api/v1/demands", Token: e.editor, Body: body}).JSON
	id := created["id"].(string)
	order := func(r map[string]any) string { return fmt.Sprint(r["term_order"]) }
	if got := order(created); got != "[phase1_days hostages_released buffer_zone_m]" {
		t.Fatalf("created with term_order %s; want the order the body wrote", got)
	}
	patched := e.must(http.StatusOK, req{Method: "PATCH", Path: path(domain.KindDemand, id), Token: e.editor,
		Body: `{"terms":{"monitor":"UN"},"effective_on":"2025-05-17"}`}).JSON
	if got := order(patched); got != "[phase1_days hostages_released buffer_zone_m monitor]" {
		t.Errorf("a patch adding a term gives %s; want it last", got)
	}
	reordered := e.must(http.StatusOK, req{Method: "PATCH", Path: path(domain.KindDemand, id), Token: e.editor,
		Body: `{"term_order":["monitor","buffer_zone_m","nowhere"],"effective_on":"2025-05-18"}`}).JSON
	if got := order(reordered); got != "[monitor buffer_zone_m hostages_released phase1_days]" {
		t.Errorf("term_order given gives %s; want it, then the other terms alphabetically, without names of no term", got)
	}
	got := e.must(http.StatusOK, req{Method: "GET", Path: path(domain.KindDemand, id), Token: e.viewer}).JSON
	if order(got) != order(reordered) {
		t.Errorf("read back as %s, saved as %s", order(got), order(reordered))
	}
}
