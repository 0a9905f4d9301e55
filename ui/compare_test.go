package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/store/storetest"
)

// movedDemo adds to the demo a second round, on 2 June 2025, in which
// Ukraine's ceasefire demand grows from 30 to 60 days and is retitled with
// markup a user might type; it returns the two rounds' ids.
func movedDemo(t *testing.T, app *testApp) (istanbul, followUp string) {
	t.Helper()
	ctx := context.Background()
	istanbul = app.find(domain.KindRound, func(r domain.Resource) bool { return r.(*domain.Round).NegotiationID == app.negotiation }).Base().ID
	round := &domain.Round{NegotiationID: app.negotiation, Title: "Follow-up round", StartsOn: "2025-06-02", Location: "Istanbul"}
	if err := app.store.Create(ctx, "analyst", round, domain.Dating{}); err != nil {
		t.Fatal(err)
	}
	d := app.find(domain.KindDemand, func(r domain.Resource) bool {
		return strings.HasPrefix(r.(*domain.Demand).Title, "Immediate, unconditional 30-day ceasefire")
	})
	_, err := app.store.Update(ctx, "analyst", domain.KindDemand, d.Base().ID, 0,
		domain.Dating{EffectiveAt: time.Date(2025, 6, 2, 9, 0, 0, 0, time.UTC), Note: "Kyiv asks for longer"},
		func(cur domain.Resource) (domain.Resource, error) {
			dm := cur.(*domain.Demand)
			dm.Terms["duration_days"] = 60.0
			dm.Title = "Immediate <b>unconditional</b> 60-day ceasefire"
			return dm, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	return istanbul, round.ID
}

func TestComparePage(t *testing.T) {
	app := newApp(t)
	istanbul, followUp := movedDemo(t, app)
	c := app.signIn("viewer")
	page := "/negotiations/" + app.negotiation + "/compare"

	status, body, header := c.get(page + "?" + url.Values{"from_round": {istanbul}, "to_round": {followUp}}.Encode())
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	for _, want := range []string{
		"<h1>Compare two moments</h1>",
		`<td class="moved">`,
		"Immediate &lt;b&gt;unconditional&lt;/b&gt; 60-day ceasefire",
		`<span class="c-label">duration days</span>`, "<del>30</del>", "<ins>60</ins>",
		`<span class="delta delta-up">`, "&#43;30",
		"New round “Follow-up round” (2 Jun 2025, Istanbul)",
		"What moved from the end of Istanbul round (16 May 2025) to the end of Follow-up round (2 Jun 2025)",
		"Topics that did not move",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("compare page lacks %q", want)
		}
	}
	for _, bad := range []string{"<b>unconditional</b>", "duration_days", "style=", "<script>"} {
		if strings.Contains(body, bad) {
			t.Errorf("compare page shows %q", bad)
		}
	}
	if !strings.Contains(header.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Error("compare page without the content security policy")
	}
	// The Ceasefire row: contested on both sides, its Ukrainian cell moved.
	row := between(body, "Ceasefire</a>", "</tr>")
	if strings.Count(row, `class="badge state-contested"`) != 2 || !strings.Contains(row, `class="moved"`) {
		t.Errorf("ceasefire row = %s", row)
	}

	// One click: what moved during each round, and from one to the next.
	_, body, _ = c.get(page)
	for _, want := range []string{">During Istanbul round</a>", ">Istanbul round → Follow-up round</a>", `name="from_round"`, `name="to"`} {
		if !strings.Contains(body, want) {
			t.Errorf("empty compare page lacks %q", want)
		}
	}
	if strings.Contains(body, "What moved from") || strings.Contains(body, "Nothing was compared") {
		t.Error("an empty compare page compares something or complains")
	}
	// Reachable from the matrix and the overview.
	for _, from := range []string{"/negotiations/" + app.negotiation, "/negotiations/" + app.negotiation + "/matrix"} {
		if _, b, _ := c.get(from); !strings.Contains(b, `href="`+page+`"`) {
			t.Errorf("%s does not link to the compare page", from)
		}
	}
}

func TestComparePageBadInput(t *testing.T) {
	app := newApp(t)
	istanbul, followUp := movedDemo(t, app)
	c := app.signIn("viewer")
	page := "/negotiations/" + app.negotiation + "/compare?"
	tests := []struct {
		name  string
		query url.Values
		// errors maps each input id to a fragment of the message beside it.
		errors map[string]string
		kept   map[string]string // input id → the value it keeps
	}{
		{"not a date", url.Values{"from": {"last <Tuesday>"}, "to_round": {followUp}},
			map[string]string{"from": "Give a date"}, map[string]string{"from": "last &lt;Tuesday&gt;"}},
		{"from after to", url.Values{"from": {"2025-07-01"}, "to": {"2025-06-01"}},
			map[string]string{"from": "after the end of the comparison"}, map[string]string{"from": "2025-07-01", "to": "2025-06-01"}},
		{"a round and a date on one side", url.Values{"from": {"2025-05-01"}, "from_round": {istanbul}, "to": {"2025-06-30"}},
			map[string]string{"from_round": "not both"}, map[string]string{"from": "2025-05-01", "to": "2025-06-30"}},
		{"a round of no such negotiation", url.Values{"from_round": {"00000000-0000-4000-8000-000000000000"}, "to": {"2025-06-30"}},
			map[string]string{"from_round": "this negotiation's rounds"}, map[string]string{"to": "2025-06-30"}},
		{"the end missing", url.Values{"from": {"2025-05-01"}},
			map[string]string{"to": "moment to end at"}, map[string]string{"from": "2025-05-01"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, _ := c.get(page + tt.query.Encode())
			if status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", status)
			}
			if !strings.Contains(body, "Nothing was compared") || !strings.Contains(body, "nothing was changed") {
				t.Error("the page does not say plainly that nothing was compared")
			}
			if strings.Contains(body, "What moved from") {
				t.Error("a refused comparison still shows moves")
			}
			for id, msg := range tt.errors {
				if got := errorBeside(body, id); !strings.Contains(got, msg) {
					t.Errorf("error beside %s = %q, want %q", id, got, msg)
				}
			}
			for id, v := range tt.kept {
				if !strings.Contains(body, `id="`+id+`" value="`+v+`"`) {
					t.Errorf("%s does not keep %q", id, v)
				}
			}
		})
	}
}

// between is the part of s from the first start to the next end.
func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s, end); j >= 0 {
		return s[:j]
	}
	return s
}

// TestBrowserComparePage opens the compare page in chromium through a
// one-click choice, reads the moved cell and, with PARLEY_SCREENSHOTS=1,
// keeps a screenshot.
func TestBrowserComparePage(t *testing.T) {
	ctx := newBrowser(t)
	app := newApp(t)
	movedDemo(t, app)
	username, _ := storetest.User(t, app.store, "viewer")
	signInBrowser(t, ctx, app, username)
	run(t, ctx, "open compare from the matrix",
		chromedp.Navigate(app.url+"/negotiations/"+app.negotiation+"/matrix"),
		chromedp.Click(`//a[contains(., "Compare two moments")]`),
		chromedp.WaitVisible(chromedp.CSS(`.choices`)),
		chromedp.Click(`//a[contains(., "Istanbul round → Follow-up round")]`),
		chromedp.WaitVisible(chromedp.CSS(`table.matrix.compare`)),
	)
	moved := read(t, ctx, "the moved cell", chromedp.Text(chromedp.CSS(`td.moved`)))
	for _, want := range []string{"duration days", "30", "60", "+30", "Immediate <b>unconditional</b> 60-day ceasefire"} {
		if !strings.Contains(moved, want) {
			t.Errorf("moved cell lacks %q: %s", want, moved)
		}
	}
	screenshot(t, ctx, "compare.png")
}
