package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
)

func (a *testApp) create(r domain.Resource) {
	a.t.Helper()
	if err := a.store.Create(context.Background(), "test", r, domain.Dating{}); err != nil {
		a.t.Fatalf("create %T: %v", r, err)
	}
}

// bigBloc creates n states and a bloc of them, the first one a member
// since 2020 and until 2024.
func (a *testApp) bigBloc(name string, n int) *domain.Party {
	a.t.Helper()
	var members []domain.Membership
	for i := range n {
		p := &domain.Party{Name: fmt.Sprintf("Member state %03d", i+1), PartyKind: "state"}
		a.create(p)
		members = append(members, domain.Membership{PartyID: p.ID})
	}
	members[0].Since, members[0].Until = "2020-01-01", "2024-12-31"
	bloc := &domain.Party{Name: name, ShortName: "BG", PartyKind: "bloc", Members: members}
	a.create(bloc)
	return bloc
}

func memberLinks(page string) int {
	return strings.Count(between(page, `id="members"`, "</ul>"), "<li>")
}

func TestPartyPage(t *testing.T) {
	app := newApp(t)
	viewer := app.signIn("viewer")
	ukraine := app.partyID("Ukraine")

	status, page, _ := viewer.get("/parties/" + ukraine)
	if status != http.StatusOK {
		t.Fatalf("Ukraine's page: status %d", status)
	}
	for _, want := range []string{"<h1>Ukraine", "(UA)", "Україна", `href="/negotiations/` + app.negotiation + `"`, "(principal)", `id="demands-h"`, "Belongs to no bloc."} {
		if !strings.Contains(page, want) {
			t.Errorf("Ukraine's page lacks %q", want)
		}
	}
	if strings.Contains(page, `id="members-h"`) {
		t.Error("a state's page lists members")
	}
	// Demands across negotiations, the demo's first, linked.
	if rows := strings.Count(between(page, `class="list party-demands"`, "</table>"), `<tr id="demand-`); rows == 0 {
		t.Error("Ukraine's demands are not listed")
	}

	// A bloc of 120 within a bloc: members paged 50 at a time with a
	// search, dated, linked; its own bloc dated and linked.
	bloc := app.bigBloc("Big Group", 120)
	outer := &domain.Party{Name: "Outer Alliance", PartyKind: "bloc", Members: []domain.Membership{{PartyID: bloc.ID, Since: "2021-03-01"}}}
	app.create(outer)
	_, page, _ = viewer.get("/parties/" + bloc.ID)
	if n := memberLinks(page); n != 50 {
		t.Errorf("page 1 lists %d members, want 50", n)
	}
	for _, want := range []string{"Members <span class=\"muted\">(120)</span>", "Page 1 of 3", `name="member_q"`, "since 1 Jan 2020", "until 31 Dec 2024",
		`<a href="/parties/` + outer.ID + `">Outer Alliance</a> <span class="muted">since 1 Mar 2021</span>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the bloc's page lacks %q", want)
		}
	}
	_, last, _ := viewer.get("/parties/" + bloc.ID + "?member_page=3")
	if n := memberLinks(last); n != 20 || !strings.Contains(last, "Page 3 of 3") || !strings.Contains(last, `rel="prev"`) || strings.Contains(last, `rel="next"`) {
		t.Errorf("page 3 lists %d members", n)
	}
	_, beyond, _ := viewer.get("/parties/" + bloc.ID + "?member_page=99")
	if !strings.Contains(beyond, "Page 3 of 3") {
		t.Error("a page past the end is not the last page")
	}
	_, found, _ := viewer.get("/parties/" + bloc.ID + "?member_q=state+11")
	// "state 11" matches 110 to 119.
	if n := memberLinks(found); n != 10 || !strings.Contains(found, "10 of 120 members match") {
		t.Errorf("the search lists %d members", n)
	}
	member := bloc.Members[5].PartyID
	_, mp, _ := viewer.get("/parties/" + member)
	if !strings.Contains(mp, `<a href="/parties/`+bloc.ID+`">Big Group</a>`) {
		t.Error("a member's page does not link its bloc")
	}

	// Demands fold after 20.
	topic := app.topicID("Ceasefire")
	for i := range 25 {
		app.create(&domain.Demand{NegotiationID: app.negotiation, PartyID: ukraine, TopicID: topic, Title: fmt.Sprintf("Extra %02d", i), StatedOn: "2025-05-16"})
	}
	_, page, _ = viewer.get("/parties/" + ukraine)
	rows := strings.Count(between(page, `class="list party-demands"`, "</table>"), `<tr id="demand-`)
	if rows != 20 || !regexp.MustCompile(`Show all \d+ demands`).MatchString(page) {
		t.Errorf("%d demand rows, want 20 and a link to all", rows)
	}
	_, all, _ := viewer.get("/parties/" + ukraine + "?show=demands")
	if n := strings.Count(between(all, `class="list party-demands"`, "</table>"), `<tr id="demand-`); n <= 25 {
		t.Errorf("show=demands lists %d, want every demand", n)
	}

	// Bad addresses and no session.
	for _, path := range []string{"/parties/" + "00000000-0000-4000-8000-000000000000", "/parties/not-an-id"} {
		if status, _, _ := viewer.get(path); status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, status)
		}
	}
	if status, _, _ := app.anonymous().get("/parties/" + ukraine); status != http.StatusSeeOther {
		t.Errorf("signed out: status %d, want a redirect to sign in", status)
	}
}

func TestPartyPageEscapes(t *testing.T) {
	app := newApp(t)
	viewer := app.signIn("viewer")
	evil := &domain.Party{Name: `<script>alert("n")</script>`, ShortName: `<b>s</b>`, Aliases: []string{`<img src=x onerror=alert(1)>`},
		Notes: `<i>notes</i>`, PartyKind: "bloc", Members: []domain.Membership{{PartyID: app.partyID("Ukraine")}}}
	app.create(evil)
	_, page, _ := viewer.get("/parties/" + evil.ID + "?member_q=%3Cscript%3E")
	for _, raw := range []string{`<script>alert`, `<b>s</b>`, `<img src=x`, `<i>notes</i>`, `value="<script>`} {
		if strings.Contains(page, raw) {
			t.Errorf("unescaped %q on the party page", raw)
		}
	}
	if !strings.Contains(page, "&lt;script&gt;alert(&#34;n&#34;)&lt;/script&gt;") {
		t.Error("the name is not shown escaped")
	}
	_, member, _ := viewer.get("/parties/" + app.partyID("Ukraine"))
	if strings.Contains(member, `<script>alert`) || !strings.Contains(member, "&lt;script&gt;") {
		t.Error("the bloc's name on its member's page is not escaped")
	}
}

// TestPartyNamesLinkToTheirPage: the party list, the overview, the
// matrix's column headers and the demand page link party names.
func TestPartyNamesLinkToTheirPage(t *testing.T) {
	app := newApp(t)
	viewer := app.signIn("viewer")
	ukraine := app.partyID("Ukraine")
	link := `href="/parties/` + ukraine + `"`
	demand := app.find(domain.KindDemand, func(r domain.Resource) bool { return r.(*domain.Demand).PartyID == ukraine }).(*domain.Demand)
	for _, path := range []string{"/parties", "/negotiations/" + app.negotiation, "/negotiations/" + app.negotiation + "/matrix", "/demands/" + demand.ID} {
		status, page, _ := viewer.get(path)
		if status != http.StatusOK || !strings.Contains(page, link) {
			t.Errorf("%s (status %d) does not link Ukraine's page", path, status)
		}
	}
	_, matrix, _ := viewer.get("/negotiations/" + app.negotiation + "/matrix")
	if head := between(matrix, "<thead>", "</thead>"); !strings.Contains(head, link) {
		t.Error("the matrix's column header does not link the party")
	}
}
