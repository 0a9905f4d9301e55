package ui_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
)

// TestAnswerAnObjection: from a matrix cell or a demand's page an editor
// opens the short Answer form, pre-filled with the objection and the
// demanding party, reuses a source the talks already cite, and the answer
// shows under the objection on both pages, with its own history.
func TestAnswerAnObjection(t *testing.T) {
	app := newApp(t)
	editor := app.signIn("editor")
	russia, ukraine := app.partyID("Russia"), app.partyID("Ukraine")
	objection := app.find(domain.KindObjection, func(r domain.Resource) bool { return r.(*domain.Objection).PartyID == russia }).(*domain.Objection)
	answerLink := "/negotiations/" + app.negotiation + "/record?as=rebuttal&amp;objection_id=" + objection.ID

	_, page, _ := editor.get("/demands/" + objection.DemandID)
	_, matrix, _ := editor.get("/negotiations/" + app.negotiation + "/matrix")
	if !strings.Contains(page, answerLink) || !strings.Contains(matrix, answerLink) {
		t.Fatal("the demand page or the matrix offers no Answer link")
	}
	if _, viewerPage, _ := app.signIn("viewer").get("/demands/" + objection.DemandID); strings.Contains(viewerPage, "as=rebuttal") {
		t.Fatal("a viewer is offered the Answer link")
	}

	status, form, _ := editor.get(html.UnescapeString(answerLink))
	if status != http.StatusOK || !strings.Contains(form, `<option value="`+ukraine+`" selected>`) || strings.Contains(form, `<option value="`+russia+`"`) ||
		!strings.Contains(form, `name="objection_id" value="`+objection.ID+`"`) || !strings.Contains(form, html.EscapeString(objection.Grounds)) {
		t.Fatalf("answer form: %d %s", status, form)
	}
	sources := sourceValues(form)
	if len(sources) == 0 {
		t.Fatal("the form offers none of the sources the negotiation cites")
	}
	action := "/negotiations/" + app.negotiation + "/record?as=rebuttal"
	bad := editor.post(action, url.Values{"csrf": {csrfOf(t, form)}, "objection_id": {objection.ID}, "party_id": {russia},
		"grounds": {"answering myself"}, "stated_on": {"17 May 2025"}})
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "cannot answer its own objection") {
		t.Fatalf("the objecting party answering itself: %d", bad.status)
	}
	res := editor.post(action, url.Values{"csrf": {csrfOf(t, form)}, "objection_id": {objection.ID}, "party_id": {ukraine},
		"grounds": {"A truce <b>first</b>, then talks"}, "stated_on": {"17 May 2025"}, "source": {sources[0]}})
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/demands/"+objection.DemandID+"#rebuttal-") {
		t.Fatalf("record answer: %d %s", res.status, res.header.Get("Location"))
	}
	rb := app.find(domain.KindRebuttal, func(r domain.Resource) bool { return r.(*domain.Rebuttal).PartyID == ukraine }).(*domain.Rebuttal)
	if rb.ObjectionID != objection.ID || rb.StatedOn != "2025-05-17" || len(rb.Citations) != 1 {
		t.Fatalf("stored rebuttal %+v", rb)
	}

	_, page, _ = editor.get("/demands/" + objection.DemandID)
	_, matrix, _ = editor.get("/negotiations/" + app.negotiation + "/matrix")
	for name, body := range map[string]string{"demand page": page, "matrix": matrix} {
		if !strings.Contains(body, "A truce &lt;b&gt;first&lt;/b&gt;, then talks") || strings.Contains(body, "<b>first</b>") {
			t.Errorf("the %s does not show the answer, escaped", name)
		}
	}
	if !strings.Contains(page, `id="rebuttal-`+rb.ID+`"`) {
		t.Error("the demand page has no anchor for the answer")
	}
	for _, p := range []string{"/rebuttals/" + rb.ID + "/history", "/rebuttals/" + rb.ID + "/edit", "/rebuttals/new?objection_id=" + objection.ID} {
		if status, body, _ := editor.get(p); status != http.StatusOK || !strings.Contains(body, "Ukraine") {
			t.Errorf("%s: %d", p, status)
		}
	}
	if status, _, _ := editor.get("/negotiations/" + app.negotiation + "/record?as=rebuttal&objection_id=" + objection.DemandID); status != http.StatusNotFound {
		t.Errorf("an answer form for no objection: %d", status)
	}
}
