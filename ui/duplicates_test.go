package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
)

func TestDuplicateIsShownBesideTheFieldWithALink(t *testing.T) {
	app := newApp(t)
	editor := app.signIn("editor")
	turkey := app.partyID("Turkey")
	res := editor.post("/parties/new", url.Values{"csrf": {editor.csrf()}, "name": {"Ankara"}, "aliases": {"Ankara government\nTÜRKIYE"}})
	if res.status != http.StatusConflict {
		t.Fatalf("status %d, want 409", res.status)
	}
	beside := errorBeside(res.body, "f-aliases")
	if !strings.Contains(beside, "Turkey") || !strings.Contains(beside, "entry 2") {
		t.Errorf("beside the aliases: %q", beside)
	}
	if !strings.Contains(res.body, `<a class="existing" href="/parties/`+turkey+`/edit">`) {
		t.Errorf("no link to Turkey beside the field:\n%s", res.body)
	}

	round := app.find(domain.KindRound, func(domain.Resource) bool { return true }).(*domain.Round)
	ukraine := app.partyID("Ukraine")
	first := app.find(domain.KindDelegation, func(r domain.Resource) bool {
		d := r.(*domain.Delegation)
		return d.RoundID == round.ID && d.PartyID == ukraine
	})
	res = editor.post("/delegations/new", url.Values{"csrf": {editor.csrf()}, "round_id": {round.ID}, "party_id": {ukraine}, "level": {"technical"}})
	if res.status != http.StatusConflict {
		t.Fatalf("delegation: status %d, want 409", res.status)
	}
	if beside := errorBeside(res.body, "f-party-id"); !strings.Contains(beside, "already has a delegation in this round") {
		t.Errorf("beside the party: %q", beside)
	}
	if !strings.Contains(res.body, `href="/delegations/`+first.Base().ID+`/edit"`) {
		t.Errorf("no link to the first delegation:\n%s", res.body)
	}
}
