package ui_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
)

// TestBridgingProposalInTheMatrixAndOnTheDemandPage: a mediator's
// proposal answering a demand shows in the cell of every party that
// reacted to it, in the answered party's cell, and on both demand pages.
// (Test records, not demo facts.)
func TestBridgingProposalInTheMatrixAndOnTheDemandPage(t *testing.T) {
	app := newApp(t)
	viewer := app.signIn("viewer")
	ukraine, russia, us := app.partyID("Ukraine"), app.partyID("Russia"), app.partyID("United States")
	topic := app.topicID("Ceasefire")
	demand := &domain.Demand{NegotiationID: app.negotiation, PartyID: ukraine, TopicID: topic, Title: "Test demand <one>", StatedOn: "2025-05-20"}
	app.create(demand)
	proposal := &domain.Demand{NegotiationID: app.negotiation, PartyID: us, TopicID: topic, Title: "Test proposal <two>", StatedOn: "2025-05-21", RespondsToID: demand.ID}
	app.create(proposal)
	counter := &domain.Demand{NegotiationID: app.negotiation, PartyID: russia, TopicID: topic, Title: "Test counter", StatedOn: "2025-05-21", RespondsToID: demand.ID}
	app.create(counter)
	app.create(&domain.Endorsement{DemandID: proposal.ID, PartyID: ukraine, StatedOn: "2025-05-22"})
	app.create(&domain.Objection{DemandID: proposal.ID, PartyID: russia, Grounds: "Only after talks", Type: "condition", StatedOn: "2025-05-22"})

	status, page, _ := viewer.get("/negotiations/" + app.negotiation + "/matrix?view=full&party_id=" + ukraine + "&party_id=" + russia)
	if status != http.StatusOK {
		t.Fatalf("matrix: status %d", status)
	}
	row := between(page, `href="/negotiations/`+app.negotiation+`#topic-`+topic+`"`, `class="term-row`)
	for _, want := range []string{
		`Endorses the United States’ bridging proposal <a href="/demands/` + proposal.ID + `">Test proposal &lt;two&gt;</a>`,
		`<strong>Objects</strong> to the United States’ bridging proposal <a href="/demands/` + proposal.ID + `#objection-`,
		`«Test demand &lt;one&gt;» answered by the United States’ bridging proposal <a href="/demands/` + proposal.ID + `">`,
		`«Test demand &lt;one&gt;» answered by Russia’s counter-demand <a href="/demands/` + counter.ID + `">`,
		`Counter-demand «Test counter», answering Ukraine’s demand <a href="/demands/` + demand.ID + `">`,
	} {
		if !strings.Contains(row, want) {
			t.Errorf("the ceasefire row lacks %s", want)
		}
	}
	if strings.Contains(page, "<two>") {
		t.Error("a title is not escaped")
	}

	_, dp, _ := viewer.get("/demands/" + demand.ID)
	answered := between(dp, `id="answered-h"`, "</section>")
	for _, want := range []string{"the United States’ bridging proposal", "Test proposal &lt;two&gt;", "endorsed by Ukraine", "objected to by Russia (condition, standing)", "Russia’s counter-demand"} {
		if !strings.Contains(answered, want) {
			t.Errorf("the demand page's answers lack %q:\n%s", want, answered)
		}
	}
	_, pp, _ := viewer.get("/demands/" + proposal.ID)
	if a := between(pp, `id="answers"`, "</p>"); !strings.Contains(a, "This is the United States’ bridging proposal, answering Ukraine’s demand") || !strings.Contains(a, `href="/demands/`+demand.ID+`"`) {
		t.Errorf("the proposal's page does not say what it answers: %s", a)
	}
}
