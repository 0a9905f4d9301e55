package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
)

func TestQuickFormsFromTheMatrixAndTheDemandPage(t *testing.T) {
	app := newApp(t)
	editor := app.signIn("editor")
	russia, ukraine := app.partyID("Russia"), app.partyID("Ukraine")
	ceasefire := app.find(domain.KindDemand, func(r domain.Resource) bool {
		d := r.(*domain.Demand)
		return d.PartyID == ukraine && strings.Contains(d.Title, "ceasefire")
	}).(*domain.Demand)

	_, matrix, _ := editor.get("/negotiations/" + app.negotiation + "/matrix")
	objectLink := "/negotiations/" + app.negotiation + "/record?as=objection&amp;topic_id=" + ceasefire.TopicID + "&amp;party_id=" + russia
	if !strings.Contains(matrix, objectLink) || !strings.Contains(matrix, "/demands/"+ceasefire.ID+"/position") {
		t.Fatalf("the matrix cell offers no Object or New position link")
	}
	_, viewerMatrix, _ := app.signIn("viewer").get("/negotiations/" + app.negotiation + "/matrix")
	if strings.Contains(viewerMatrix, "/record?as=") {
		t.Fatal("a viewer is offered the record links")
	}

	// Object, from Russia's cell: the party is filled in, the demand chosen among the topic's.
	status, form, _ := editor.get(strings.ReplaceAll(objectLink, "&amp;", "&"))
	if status != http.StatusOK || !strings.Contains(form, `<option value="`+russia+`" selected>`) || !strings.Contains(form, `<option value="`+ceasefire.ID+`"`) {
		t.Fatalf("object form: %d %s", status, form)
	}
	sources := sourceValues(form)
	if len(sources) == 0 {
		t.Fatal("the form offers none of the sources the negotiation cites")
	}
	bad := editor.post("/negotiations/"+app.negotiation+"/record?as=objection", url.Values{
		"csrf": {csrfOf(t, form)}, "demand_id": {ceasefire.ID}, "party_id": {russia}, "grounds": {""}, "stated_on": {"06/01/2025"},
	})
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, `id="r-grounds"`) || !strings.Contains(bad.body, "is required") {
		t.Fatalf("an objection without grounds: %d", bad.status)
	}
	res := editor.post("/negotiations/"+app.negotiation+"/record?as=objection", url.Values{
		"csrf": {csrfOf(t, form)}, "demand_id": {ceasefire.ID}, "party_id": {russia}, "grounds": {"a pause to rearm"},
		"kind": {"rejection"}, "stated_on": {"17 May 2025"}, "source": {sources[0]},
	})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/demands/"+ceasefire.ID {
		t.Fatalf("record objection: %d %s", res.status, res.body)
	}
	o := app.find(domain.KindObjection, func(r domain.Resource) bool { return r.(*domain.Objection).Grounds == "a pause to rearm" }).(*domain.Objection)
	if o.PartyID != russia || o.StatedOn != "2025-05-17" || len(o.Citations) != 1 || o.Citations[0].Title == "" && o.Citations[0].URL == "" {
		t.Fatalf("stored objection %+v", o)
	}

	// Endorse from the demand's page: the demand is fixed, the party chosen.
	_, page, _ := editor.get("/demands/" + ceasefire.ID)
	if !strings.Contains(page, "record?as=endorsement&amp;demand_id="+ceasefire.ID) {
		t.Fatal("the demand page offers no Endorse link")
	}
	res = editor.post("/negotiations/"+app.negotiation+"/record?as=endorsement", url.Values{
		"csrf": {csrfOf(t, page)}, "demand_id": {ceasefire.ID}, "party_id": {app.partyID("Turkey")}, "stated_on": {"2025-05-16"},
		"citation_title": {"Fidan opens the talks"}, "citation_url": {"https://example.org/fidan"},
	})
	if res.status != http.StatusSeeOther {
		t.Fatalf("record endorsement: %d %s", res.status, res.body)
	}

	// New position: a dated softening of the same demand.
	_, pos, _ := editor.get("/demands/" + ceasefire.ID + "/position")
	f := formOfRecord(t, pos)
	f.Set("status", "under_discussion")
	f.Set("effective_on", "18 May 2025")
	f.Set("change_note", "softened after the first session")
	f.Set("source", sources[0])
	res = editor.post("/demands/"+ceasefire.ID+"/position", f)
	if res.status != http.StatusSeeOther {
		t.Fatalf("new position: %d %s", res.status, res.body)
	}
	hist, err := app.store.History(t.Context(), domain.KindDemand, ceasefire.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := hist[len(hist)-1]
	if last.Action != "update" || last.EffectiveAt.Format("2006-01-02") != "2025-05-18" || last.ChangeNote != "softened after the first session" || len(last.ChangeCitations) != 1 {
		t.Fatalf("the move's revision: %+v", last)
	}
	// The same form again is stale: its version is the one before the move.
	if res := editor.post("/demands/"+ceasefire.ID+"/position", f); res.status != http.StatusPreconditionFailed {
		t.Fatalf("a stale new position: %d", res.status)
	}
}

// sourceValues lists the keys of the form's "source already cited" select.
func sourceValues(page string) []string {
	_, rest, _ := strings.Cut(page, `name="source"`)
	rest, _, _ = strings.Cut(rest, "</select>")
	var out []string
	for _, part := range strings.Split(rest, `<option value="`)[1:] {
		if v, _, _ := strings.Cut(part, `"`); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// formOfRecord reads the short form's hidden and text inputs and selects.
func formOfRecord(t *testing.T, page string) url.Values {
	t.Helper()
	f := url.Values{"csrf": {csrfOf(t, page)}}
	for _, part := range strings.Split(page, "<input ")[1:] {
		name := attr(part, "name")
		if name != "" && name != "csrf" {
			f.Set(name, attr(part, "value"))
		}
	}
	return f
}

func attr(tag, name string) string {
	_, rest, ok := strings.Cut(tag, name+`="`)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, `"`)
	return v
}
