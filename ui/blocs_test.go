package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
)

func TestBlocMembersForm(t *testing.T) {
	app := newApp(t)
	editor := app.signIn("editor")
	create := func(form url.Values) response {
		form.Set("csrf", editor.csrf())
		return editor.post("/parties/new", form)
	}
	// Pasted lines naming no party are refused, each named, and kept as typed.
	res := create(url.Values{"name": {"Black Sea Group"}, "kind": {"bloc"},
		"members": {"Ukraine\nGondor | 2020-01-01\nrussian federation"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("unknown member: status %d", res.status)
	}
	if !strings.Contains(res.body, "no party is named or also known as “Gondor”") || !strings.Contains(res.body, "member 2") {
		t.Errorf("the refusal does not name Gondor as member 2:\n%s", errorBeside(res.body, "f-members"))
	}
	if !strings.Contains(res.body, "Gondor | 2020-01-01") {
		t.Error("the members as typed are not kept in the form")
	}
	// Names, aliases and a pick from the list, with days as people write them.
	res = create(url.Values{"name": {"Black Sea Group"}, "kind": {"bloc"},
		"members": {"Ukraine | 1 Jan 2020\nrussian federation | | 2022-02-24"}, "members_add": {"Turkey"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("create bloc: status %d: %s", res.status, errorBeside(res.body, "f-members"))
	}
	bloc := app.find(domain.KindParty, func(r domain.Resource) bool { return r.(*domain.Party).Name == "Black Sea Group" }).(*domain.Party)
	want := []domain.Membership{{PartyID: app.partyID("Ukraine"), Since: "2020-01-01"}, {PartyID: app.partyID("Russia"), Until: "2022-02-24"}, {PartyID: app.partyID("Turkey")}}
	if len(bloc.Members) != 3 || bloc.Members[0] != want[0] || bloc.Members[1] != want[1] || bloc.Members[2] != want[2] {
		t.Fatalf("members = %+v, want %+v", bloc.Members, want)
	}
	// The edit form names the members; the party list shows both sides.
	_, page, _ := editor.get("/parties/" + bloc.ID + "/edit")
	if !strings.Contains(page, "Ukraine | ") || !strings.Contains(page, "<datalist") {
		t.Errorf("the edit form does not list members by name with a pick list")
	}
	_, list, _ := editor.get("/parties")
	ukraine := between(list, `id="party-`+app.partyID("Ukraine")+`"`, "</tr>")
	if !strings.Contains(ukraine, "Member of") || !strings.Contains(ukraine, "Black Sea Group") {
		t.Errorf("Ukraine's row does not name its bloc:\n%s", ukraine)
	}
	// Russia left on 2022-02-24: on today's list it is no member.
	russia := between(list, `id="party-`+app.partyID("Russia")+`"`, "</tr>")
	if strings.Contains(russia, "Member of") {
		t.Errorf("Russia's row names a bloc it left:\n%s", russia)
	}
	// A state has no members.
	res = create(url.Values{"name": {"Lonely State"}, "kind": {"state"}, "members": {"Ukraine"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(errorBeside(res.body, "f-members"), "only a party of kind bloc") {
		t.Errorf("members of a state: status %d", res.status)
	}
	if _, err := app.store.Snapshot(context.Background(), app.negotiation, domain.Moment{}); err != nil {
		t.Fatal(err)
	}
}

func TestOverviewFoldsLongLists(t *testing.T) {
	app := newApp(t)
	viewer := app.signIn("viewer")
	ctx := context.Background()
	topic := app.topicID("Ceasefire")
	for i := 0; i < 15; i++ {
		d := &domain.Demand{NegotiationID: app.negotiation, PartyID: app.partyID("Ukraine"), TopicID: topic,
			Title: "Extra demand " + strings.Repeat("x", i+1), StatedOn: "2025-05-16"}
		if err := app.store.Create(ctx, "test", d, domain.Dating{}); err != nil {
			t.Fatal(err)
		}
	}
	// The topic's own card, not the list of unsourced claims below.
	card := func(page string) string {
		return between(page, `id="topic-`+topic+`"`, "</article>")
	}
	_, page, _ := viewer.get("/negotiations/" + app.negotiation)
	if n := strings.Count(card(page), "Extra demand"); n != 10 || !strings.Contains(card(page), "Show all 17 demands on this topic") {
		t.Fatalf("the ceasefire topic's 17 demands are not folded to 12: %d extra shown", n)
	}
	link := "/negotiations/" + app.negotiation + "?show=" + topic
	if !strings.Contains(page, link+"#topic-"+topic) {
		t.Fatalf("no link to show the topic whole")
	}
	_, whole, _ := viewer.get(link)
	if n := strings.Count(card(whole), "Extra demand"); n != 15 {
		t.Errorf("?show= lists %d of the 15 extra demands", n)
	}
}

// TestMatrixInheritedObjectionAnswers shows, in a silent member's cell,
// who answered the objection it inherits from its bloc.
func TestMatrixInheritedObjectionAnswers(t *testing.T) {
	app := newApp(t)
	ctx := context.Background()
	turkey, ukraine := app.partyID("Turkey"), app.partyID("Ukraine")
	bloc := &domain.Party{Name: "Straits Group", PartyKind: "bloc", Members: []domain.Membership{{PartyID: turkey}}}
	if err := app.store.Create(ctx, "tester", bloc, domain.Dating{}); err != nil {
		t.Fatal(err)
	}
	if _, err := app.store.Update(ctx, "tester", domain.KindNegotiation, app.negotiation, 0, domain.Dating{}, func(cur domain.Resource) (domain.Resource, error) {
		n := cur.(*domain.Negotiation)
		n.Participants = append(n.Participants, domain.Participant{PartyID: bloc.ID, Role: "observer"})
		return n, nil
	}); err != nil {
		t.Fatal(err)
	}
	demand := app.find(domain.KindDemand, func(r domain.Resource) bool {
		d := r.(*domain.Demand)
		return d.NegotiationID == app.negotiation && d.PartyID == ukraine && d.TopicID == app.topicID("Ceasefire")
	})
	if demand == nil {
		t.Fatal("no demand of Ukraine's on the ceasefire")
	}
	objection := &domain.Objection{NegotiationID: app.negotiation, DemandID: demand.Base().ID, PartyID: bloc.ID, Grounds: "Not without monitors", StatedOn: "2025-05-16"}
	if err := app.store.Create(ctx, "tester", objection, domain.Dating{}); err != nil {
		t.Fatal(err)
	}
	viewer := app.signIn(domain.RoleViewer)
	path := "/negotiations/" + app.negotiation + "/matrix?view=full&party_id=" + turkey + "&party_id=" + ukraine
	_, page, _ := viewer.get(path)
	cell := between(page, "Inherited from Straits Group:", "</div>")
	if !strings.Contains(cell, "objects to") || strings.Contains(cell, "answered by") {
		t.Fatalf("Turkey's cell before any answer: %q", cell)
	}
	answer := &domain.Rebuttal{ObjectionID: objection.ID, PartyID: ukraine, Grounds: "Monitors are agreed", StatedOn: "2025-05-17"}
	if err := app.store.Create(ctx, "tester", answer, domain.Dating{}); err != nil {
		t.Fatal(err)
	}
	_, page, _ = viewer.get(path)
	if cell = between(page, "Inherited from Straits Group:", "</div>"); !strings.Contains(cell, "(answered by Ukraine)") {
		t.Errorf("Turkey's cell does not say who answered its bloc's objection: %q", cell)
	}
}
