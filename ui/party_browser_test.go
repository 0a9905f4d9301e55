package ui_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/store/storetest"
)

// TestBrowserPartyPage: in Chromium, a bloc's page pages its members,
// its member's page links back to it, and the matrix's column header
// leads to a party's page; a bridging proposal reads in the reacting
// party's cell. PARLEY_SCREENSHOTS=1 saves party.png and
// matrix-bridging.png.
func TestBrowserPartyPage(t *testing.T) {
	ctx := newBrowser(t)
	app := newApp(t)
	bloc := app.bigBloc("Big Group", 60)
	outer := &domain.Party{Name: "Outer Alliance", PartyKind: "bloc", Members: []domain.Membership{{PartyID: bloc.ID, Since: "2021-03-01"}}}
	app.create(outer)
	ukraine, russia, us := app.partyID("Ukraine"), app.partyID("Russia"), app.partyID("United States")
	topic := app.topicID("Ceasefire")
	demand := &domain.Demand{NegotiationID: app.negotiation, PartyID: ukraine, TopicID: topic, Title: "Test demand", StatedOn: "2025-05-20"}
	app.create(demand)
	proposal := &domain.Demand{NegotiationID: app.negotiation, PartyID: us, TopicID: topic, Title: "Test bridging proposal", StatedOn: "2025-05-21", RespondsToID: demand.ID}
	app.create(proposal)
	app.create(&domain.Objection{DemandID: proposal.ID, PartyID: russia, Grounds: "Test grounds", Type: "condition", StatedOn: "2025-05-22"})

	username, _ := storetest.User(t, app.store, "viewer")
	signInBrowser(t, ctx, app, username)
	run(t, ctx, "the bloc's page", chromedp.Navigate(app.url+"/parties/"+bloc.ID), chromedp.WaitVisible(chromedp.CSS(`#members`)))
	if n := read(t, ctx, "members shown", chromedp.Evaluate[int](`document.querySelectorAll("#members li").length`)); n != 50 {
		t.Errorf("%d members on the first page, want 50", n)
	}
	screenshot(t, ctx, "party.png")
	run(t, ctx, "next page", chromedp.Click(chromedp.CSS(`a[rel=next]`)), chromedp.WaitVisible(chromedp.CSS(`a[rel=prev]`)))
	if n := read(t, ctx, "members on page 2", chromedp.Evaluate[int](`document.querySelectorAll("#members li").length`)); n != 10 {
		t.Errorf("%d members on page 2, want 10", n)
	}
	run(t, ctx, "a member", chromedp.Click(chromedp.CSS(`#members li a`)), chromedp.WaitVisible(chromedp.CSS(`ul.blocs`)))
	if blocs := read(t, ctx, "its blocs", chromedp.Text(chromedp.CSS(`ul.blocs`))); !strings.Contains(blocs, "Big Group") {
		t.Errorf("the member's page names its blocs as %q", blocs)
	}

	run(t, ctx, "the matrix", chromedp.Navigate(app.url+"/negotiations/"+app.negotiation+"/matrix?view=full&party_id="+ukraine+"&party_id="+russia),
		chromedp.WaitVisible(chromedp.CSS(`table.matrix`)))
	cell := read(t, ctx, "Russia's objection", chromedp.Evaluate[string](`Array.from(document.querySelectorAll(".m-object.standing")).map(e => e.innerText).join("\n")`))
	if !strings.Contains(cell, "Objects to the United States’ bridging proposal Test bridging proposal (condition)") {
		t.Errorf("Russia's cell reads %q", cell)
	}
	screenshot(t, ctx, "matrix-bridging.png")
	run(t, ctx, "a column header", chromedp.Click(chromedp.CSS(`thead a .party-name`)), chromedp.WaitVisible(chromedp.CSS(`#seats-h`)))
	if h := read(t, ctx, "the party's name", chromedp.Text(chromedp.CSS(`main h1`))); !strings.HasPrefix(h, "Ukraine") {
		t.Errorf("the header led to %q", h)
	}
}
