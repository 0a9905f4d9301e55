package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parley/parley/domain"
)

// backfill is the demo negotiation with a second round, both long past:
// an analyst recording the Istanbul talks after the fact.
type backfill struct {
	*testApp
	editor  *client
	round1  string // the demo's Istanbul round, 16 May 2025
	round2  string // a second round, 2 June 2025
	demand  string // Ukraine's 30-day ceasefire
	history string
	v0      int // the demand's version before the test's moves
}

func newBackfill(t *testing.T) *backfill {
	t.Helper()
	app := newApp(t)
	b := &backfill{testApp: app, editor: app.signIn("editor")}
	b.round1 = app.find(domain.KindRound, func(domain.Resource) bool { return true }).Base().ID
	r2 := &domain.Round{NegotiationID: app.negotiation, Title: "Second Istanbul round", StartsOn: "2025-06-02", Format: "mediated"}
	mustCreate(t, app.store, r2)
	b.round2 = r2.ID
	ukraine := app.partyID("Ukraine")
	b.demand = app.find(domain.KindDemand, func(r domain.Resource) bool {
		d := r.(*domain.Demand)
		return d.PartyID == ukraine && d.Terms["duration_days"] != nil
	}).Base().ID
	b.history = "/demands/" + b.demand + "/history"
	// The demo's demands have moved already; the tests' moves come after.
	b.v0 = b.demandNow(t).Version
	return b
}

// rev names the revision of the n-th move a test makes.
func (b *backfill) rev(n int) string { return strconv.Itoa(b.v0 + n) }

// editDemand opens the demand's edit form, lets change alter what the
// browser would send, and posts it.
func (b *backfill) editDemand(t *testing.T, change func(url.Values)) response {
	t.Helper()
	status, page, _ := b.editor.get("/demands/" + b.demand + "/edit")
	if status != http.StatusOK {
		t.Fatalf("edit form: %d", status)
	}
	form := formOf(t, page)
	change(form)
	return b.editor.post("/demands/"+b.demand+"/edit", form)
}

func (b *backfill) demandNow(t *testing.T) *domain.Demand {
	t.Helper()
	r, err := b.store.Get(context.Background(), domain.KindDemand, b.demand)
	if err != nil {
		t.Fatal(err)
	}
	return r.(*domain.Demand)
}

// demandAsOf reads the demand as it stood in the talks at asOf.
func (b *backfill) demandAsOf(t *testing.T, asOf string) *domain.Demand {
	t.Helper()
	at, err := domain.ParseInstant(asOf, true)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := b.store.Snapshot(context.Background(), b.negotiation, domain.Moment{AsOf: at})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range snap.Demands {
		if d.ID == b.demand {
			return d
		}
	}
	t.Fatalf("demand not in the talks as of %s", asOf)
	return nil
}

// revisionCard returns the history's card of one revision.
func revisionCard(t *testing.T, page string, n string) string {
	t.Helper()
	for _, card := range strings.Split(page, `<li class="card revision`)[1:] {
		if strings.Contains(card, `id="revision-`+n+`">`) {
			return card
		}
	}
	t.Fatalf("no revision %s in the history", n)
	return ""
}

func TestDatedEditLandsInHistoryWithBothClocksNoteAndSource(t *testing.T) {
	b := newBackfill(t)
	longQuote := strings.Repeat("Ukraine is ready for a full and unconditional ceasefire for sixty days, starting now. ", 5)
	recordedFrom := time.Now().UTC().Add(-time.Second)
	res := b.editDemand(t, func(f url.Values) {
		f.Set("terms", "duration_days = 60\nunconditional = true")
		f.Set("effective_on", "2025-05-20T14:30")
		f.Set("change_note", "Doubled after the US envoy's visit")
		f.Set("change_citations[0].publisher", "Reuters")
		f.Set("change_citations[0].title", "Ukraine offers longer truce")
		f.Set("change_citations[0].url", "https://example.org/truce")
		f.Set("change_citations[0].locator", "para 3")
		f.Set("change_citations[0].quote", longQuote)
	})
	if res.status != http.StatusSeeOther {
		t.Fatalf("dated edit: %d\n%s", res.status, res.body)
	}
	if d := b.demandNow(t); d.Terms["duration_days"] != 60.0 || !d.EffectiveAt.Equal(time.Date(2025, 5, 20, 14, 30, 0, 0, time.UTC)) {
		t.Fatalf("stored demand: %v, effective %s", d.Terms, d.EffectiveAt)
	}
	if d := b.demandAsOf(t, "2025-05-19"); d.Terms["duration_days"] != 30.0 {
		t.Errorf("as of 19 May the demand says %v days, want 30", d.Terms["duration_days"])
	}

	_, page, _ := b.editor.get(b.history)
	card := revisionCard(t, page, b.rev(1))
	recorded := regexp.MustCompile(`<div class="clock-record"><dt>Recorded</dt><dd><time datetime="([^"]+)">`).FindStringSubmatch(card)
	if recorded == nil {
		t.Fatalf("revision 2 shows no record time:\n%s", card)
	}
	if at, err := time.Parse(time.RFC3339, recorded[1]); err != nil || at.Before(recordedFrom) {
		t.Errorf("recorded at %s, want the moment of saving (after %s)", recorded[1], recordedFrom)
	}
	for _, want := range []string{
		`<dt>Took effect</dt><dd><time datetime="2025-05-20T14:30:00Z">20 May 2025, 14:30 UTC</time>`,
		"by " + b.editor.user,
		"Doubled after the US envoy&#39;s visit",
		`<a href="https://example.org/truce" rel="noopener noreferrer" target="_blank">Ukraine offers longer truce</a>, Reuters`,
		"para 3",
		`<details class="quote-fold"><summary><span class="quote-start">`, `Show the whole quote (70 words)`,
		`<li>duration days = 30</li>`, `<li>duration days = 60</li>`,
	} {
		if !strings.Contains(card, want) {
			t.Errorf("revision 2 lacks %s", want)
		}
	}
	// The create took effect when the demo's source reported it.
	if first := revisionCard(t, page, "1"); !strings.Contains(first, `>16 May 2025, 11:29 UTC</time>`) {
		t.Errorf("revision 1 does not take effect on 16 May 2025:\n%s", first)
	}
}

func TestMoveLearnedLateIsInsertedAndSaysSo(t *testing.T) {
	b := newBackfill(t)
	// Round 2: the demand goes to 60 days.
	if res := b.editDemand(t, func(f url.Values) {
		f.Set("terms", "duration_days = 60\nunconditional = true")
		f.Set("effective_round", "start:"+b.round2)
	}); res.status != http.StatusSeeOther {
		t.Fatalf("round-2 move: %d\n%s", res.status, res.body)
	}
	// Learned later: between the rounds it was put under discussion. The
	// form shows today's 60 days; only the status is the analyst's change.
	if res := b.editDemand(t, func(f url.Values) {
		f.Set("status", "under_discussion")
		f.Set("effective_on", "2025-05-25")
		f.Set("change_note", "Kyiv agreed to discuss the conditions")
	}); res.status != http.StatusSeeOther {
		t.Fatalf("late move: %d\n%s", res.status, res.body)
	}
	if d := b.demandAsOf(t, "2025-05-26"); d.Terms["duration_days"] != 30.0 || d.State != "under_discussion" {
		t.Errorf("as of 26 May: %v days, %s; want 30 days under discussion", d.Terms["duration_days"], d.State)
	}
	if d := b.demandNow(t); d.Terms["duration_days"] != 60.0 || d.State != "tabled" {
		t.Errorf("now: %v days, %s; want the round-2 state, 60 days tabled", d.Terms["duration_days"], d.State)
	}

	_, page, _ := b.editor.get(b.history)
	late := revisionCard(t, page, b.rev(2))
	for _, want := range []string{"Dated before the previous move", "recorded after revision " + b.rev(1) + ", which took effect on 2 Jun 2025", ">25 May 2025</time>", `<td class="after">under_discussion</td>`} {
		if !strings.Contains(late, want) {
			t.Errorf("the late move's card lacks %q", want)
		}
	}
	// Against the state before it in the talks (30 days), not the revision
	// recorded before it (60 days): the days did not change.
	if strings.Contains(late, "duration days") {
		t.Errorf("the late move is shown as changing the days:\n%s", late)
	}
	if strings.Contains(revisionCard(t, page, b.rev(1)), "Dated before") {
		t.Error("the round-2 move is marked as inserted")
	}
}

func TestRoundChoiceSetsTheDate(t *testing.T) {
	b := newBackfill(t)
	_, page, _ := b.editor.get("/demands/" + b.demand + "/edit")
	for _, want := range []string{
		`<legend>When did this take effect? <span class="req">required</span></legend>`,
		`value="start:` + b.round2 + `"> Second Istanbul round: 2 Jun 2025</label>`,
		`value="start:` + b.round1 + `"> Istanbul round: 16 May 2025</label>`,
		`name="change_note"`, `name="change_citations[0].url"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("edit form lacks %s", want)
		}
	}
	cases := []struct {
		name   string
		round  string
		typed  string
		want   time.Time
		status int
	}{
		{"a round's start", "start:" + b.round2, "", time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC), http.StatusSeeOther},
		{"a typed date wins over the round", "start:" + b.round2, "2025-06-03", time.Date(2025, 6, 3, 0, 0, 0, 0, time.UTC), http.StatusSeeOther},
		{"a round of other talks", "start:0190f0f0-0000-7000-8000-000000000000", "", time.Time{}, http.StatusUnprocessableEntity},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			title := "Ceasefire, version " + string(rune('A'+i))
			res := b.editDemand(t, func(f url.Values) {
				f.Set("title", title)
				f.Set("effective_round", tc.round)
				f.Set("effective_on", tc.typed)
			})
			if res.status != tc.status {
				t.Fatalf("status %d, want %d\n%s", res.status, tc.status, res.body)
			}
			if tc.status != http.StatusSeeOther {
				if got := errorBeside(res.body, "f-effective-round"); !strings.Contains(got, "names no round") {
					t.Errorf("error beside the rounds %q", got)
				}
				if b.demandNow(t).Title == title {
					t.Error("the refused edit was saved")
				}
				return
			}
			if d := b.demandNow(t); d.Title != title || !d.EffectiveAt.Equal(tc.want) {
				t.Errorf("stored %q effective %s, want %s", d.Title, d.EffectiveAt, tc.want)
			}
		})
	}
	t.Run("on a new form too", func(t *testing.T) {
		res := b.editor.post("/endorsements/new", url.Values{"csrf": {b.editor.csrf()}, "demand_id": {b.demand}, "party_id": {b.partyID("Turkey")},
			"stated_on": {"2025-05-16"}, "effective_round": {"start:" + b.round2}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("create: %d\n%s", res.status, res.body)
		}
		e := b.find(domain.KindEndorsement, func(r domain.Resource) bool { return r.(*domain.Endorsement).PartyID == b.partyID("Turkey") })
		if !e.Base().EffectiveAt.Equal(time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("endorsement takes effect %s, want 2 June 2025", e.Base().EffectiveAt)
		}
	})
}

func TestEditOfPastTalksRequiresTheDate(t *testing.T) {
	b := newBackfill(t)
	t.Run("a change without a date is refused beside the field", func(t *testing.T) {
		res := b.editDemand(t, func(f url.Values) { f.Set("title", "Ceasefire of 45 days") })
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", res.status)
		}
		if got := errorBeside(res.body, "f-effective-on"); !strings.Contains(got, "is required: the latest round of these talks ended on 2 Jun 2025") {
			t.Errorf("error beside the date %q", got)
		}
		if !strings.Contains(res.body, `href="#f-effective-on"`) || !strings.Contains(res.body, `value="Ceasefire of 45 days"`) {
			t.Error("the summary does not link to the date, or the typed title is lost")
		}
		if !regexp.MustCompile(`<input type="text" name="effective_on" id="f-effective-on" value=""[^>]* required aria-required="true"`).MatchString(res.body) {
			t.Error("the date input is not marked required")
		}
		if b.demandNow(t).Version != b.v0 {
			t.Error("the undated change was saved")
		}
	})
	t.Run("saving the form unchanged needs no date", func(t *testing.T) {
		if res := b.editDemand(t, func(url.Values) {}); res.status != http.StatusSeeOther || b.demandNow(t).Version != b.v0 {
			t.Fatalf("unchanged save: %d, version %d", res.status, b.demandNow(t).Version)
		}
	})
	t.Run("a new form does not put today in the date", func(t *testing.T) {
		_, page, _ := b.editor.get("/demands/new?negotiation_id=" + b.negotiation)
		if !strings.Contains(page, `name="stated_on" id="f-stated-on" value=""`) {
			t.Error("the new demand's stated-on date is pre-filled")
		}
		if !regexp.MustCompile(`name="stated_on" id="f-stated-on" value=""[^>]* required`).MatchString(page) {
			t.Error("stated on is not marked required")
		}
		if !strings.Contains(page, "Optional. Left empty, it takes effect on its “Stated on” date.") {
			t.Error("the new form does not say what an undated create takes effect on")
		}
	})

	// Talks going on now: a change without a date is dated now, and a new
	// form may offer today.
	today := time.Now().UTC()
	live := &domain.Negotiation{Title: "Talks in session", StartedOn: today.AddDate(0, 0, -1).Format(domain.DateLayout)}
	mustCreate(t, b.store, live)
	mustCreate(t, b.store, &domain.Round{NegotiationID: live.ID, Title: "Session", StartsOn: live.StartedOn, EndsOn: today.AddDate(0, 0, 1).Format(domain.DateLayout)})
	topic := &domain.Topic{NegotiationID: live.ID, Title: "Agenda"}
	mustCreate(t, b.store, topic)
	t.Run("live talks: a change without a date takes effect now", func(t *testing.T) {
		_, page, _ := b.editor.get("/topics/" + topic.ID + "/edit")
		if strings.Contains(page, `<span class="req">required</span></legend>`) || !strings.Contains(page, "Left empty, the change takes effect now") {
			t.Error("the live talks' edit form requires a date")
		}
		form := formOf(t, page)
		form.Set("title", "Agenda and sequencing")
		before := time.Now().UTC().Add(-time.Second)
		if res := b.editor.post("/topics/"+topic.ID+"/edit", form); res.status != http.StatusSeeOther {
			t.Fatalf("status %d\n%s", res.status, res.body)
		}
		r, err := b.store.Get(context.Background(), domain.KindTopic, topic.ID)
		if err != nil || r.Base().EffectiveAt.Before(before) {
			t.Errorf("effective %v (%v), want now", r.Base().EffectiveAt, err)
		}
		_, page, _ = b.editor.get("/demands/new?negotiation_id=" + live.ID)
		if !strings.Contains(page, `name="stated_on" id="f-stated-on" value="`+domain.FormatDay(today.Format(domain.DateLayout))+`"`) {
			t.Error("a new demand in live talks is not offered today")
		}
	})
}

func TestBadDatingKeepsTypedTextWithMessageBeside(t *testing.T) {
	b := newBackfill(t)
	cases := []struct {
		name    string
		change  func(url.Values)
		inputID string
		message string
		keep    string
	}{
		{"not a date", func(f url.Values) { f.Set("effective_on", "16 Mai 2025") }, "f-effective-on", "must be a YYYY-MM-DD date", `value="16 Mai 2025"`},
		{"in the future", func(f url.Values) { f.Set("effective_on", "2099-01-01") }, "f-effective-on", "is in the future", `value="2099-01-01"`},
		{"before the demand existed", func(f url.Values) { f.Set("effective_on", "2025-01-01") }, "f-effective-on", "is before this demand took effect", `value="2025-01-01"`},
		{"a source that is a script", func(f url.Values) {
			f.Set("effective_on", "2025-06-02")
			f.Set("change_citations[0].title", "Leak")
			f.Set("change_citations[0].url", "javascript:alert(1)")
		}, "f-change-citations-0-url", "http or https", `value="javascript:alert(1)"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := b.editDemand(t, func(f url.Values) {
				f.Set("title", "Ceasefire for 45 days")
				f.Set("change_note", "Note the analyst typed")
				tc.change(f)
			})
			if res.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.status)
			}
			if got := errorBeside(res.body, tc.inputID); !strings.Contains(got, tc.message) {
				t.Errorf("error beside %s = %q, want %q", tc.inputID, got, tc.message)
			}
			for _, keep := range []string{tc.keep, "Note the analyst typed", `value="Ceasefire for 45 days"`} {
				if !strings.Contains(res.body, keep) {
					t.Errorf("typed %s not kept", keep)
				}
			}
			if b.demandNow(t).Version != b.v0 {
				t.Error("the refused edit was saved")
			}
		})
	}
}

func TestViewsAsOfARound(t *testing.T) {
	b := newBackfill(t)
	if res := b.editDemand(t, func(f url.Values) {
		f.Set("title", "Ceasefire of 60 days")
		f.Set("terms", "duration_days = 60\nunconditional = true")
		f.Set("effective_round", "start:"+b.round2)
	}); res.status != http.StatusSeeOther {
		t.Fatalf("round-2 move: %d\n%s", res.status, res.body)
	}
	viewer := b.signIn("viewer")
	neg := "/negotiations/" + b.negotiation
	cases := []struct {
		name    string
		path    string
		status  int
		want    []string
		wantNot []string
	}{
		{"matrix at the end of round 1", neg + "/matrix?as_of_round=" + b.round1, http.StatusOK,
			[]string{"As of the end of Istanbul round (16 May 2025), as recorded now", "Immediate, unconditional 30-day ceasefire"}, []string{"Ceasefire of 60 days"}},
		{"matrix at the end of round 2", neg + "/matrix?as_of_round=" + b.round2, http.StatusOK,
			[]string{"As of the end of Second Istanbul round (2 Jun 2025), as recorded now", "Ceasefire of 60 days"}, []string{"Immediate, unconditional 30-day ceasefire"}},
		{"matrix now", neg + "/matrix", http.StatusOK, []string{"As it stands now, as recorded now", "Ceasefire of 60 days"}, nil},
		{"matrix as of a day", neg + "/matrix?as_of=2025-05-20", http.StatusOK, []string{"As of the end of 20 May 2025, as recorded now", "30-day ceasefire"}, nil},
		{"matrix as of a time with an offset", neg + "/matrix?as_of=" + url.QueryEscape("2025-06-02T02:51+01:00"), http.StatusOK,
			[]string{"As of 2 Jun 2025, 01:51 UTC, as recorded now", "Ceasefire of 60 days"}, nil},
		{"matrix before the talks", neg + "/matrix?as_of=2025-05-01", http.StatusOK, []string{"The talks had not started by then: they started on 16 May 2025.", "No topics to show."}, nil},
		{"overview at the end of round 1", neg + "?as_of_round=" + b.round1, http.StatusOK,
			[]string{"As of the end of Istanbul round (16 May 2025)", "Immediate, unconditional 30-day ceasefire"}, []string{"Ceasefire of 60 days", "Second Istanbul round</h3>"}},
		{"overview now", neg, http.StatusOK, []string{"Ceasefire of 60 days", "Second Istanbul round</h3>"}, nil},
		{"report at the end of round 1", neg + "/report?as_of_round=" + b.round1, http.StatusOK,
			[]string{"As of the end of Istanbul round (16 May 2025)", "/report/preview?as_of_round=" + b.round1, "download?as_of_round=" + b.round1 + "&amp;format=pdf"}, nil},
		{"report preview at the end of round 1", neg + "/report/preview?as_of_round=" + b.round1, http.StatusOK,
			[]string{"Immediate, unconditional 30-day ceasefire"}, []string{"Ceasefire of 60 days"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body, _ := viewer.get(tc.path)
			if status != tc.status {
				t.Fatalf("status %d, want %d", status, tc.status)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(body, w) {
					t.Errorf("page shows %q", w)
				}
			}
		})
	}
	t.Run("one click to each round, other choices kept", func(t *testing.T) {
		ukraine := b.partyID("Ukraine")
		_, body, _ := viewer.get(neg + "/matrix?party_id=" + ukraine + "&as_of=2025-05-20")
		link := `href="` + neg + `/matrix?as_of_round=` + b.round2 + `&amp;party_id=` + ukraine + `"`
		if !strings.Contains(body, link) {
			t.Errorf("no link to the end of round 2 keeping the party: %s", link)
		}
	})
}

func TestBadMomentSaysNothingWasApplied(t *testing.T) {
	b := newBackfill(t)
	viewer := b.signIn("viewer")
	neg := "/negotiations/" + b.negotiation
	cases := []struct {
		name    string
		query   string
		inputID string
		message string
		keep    string
	}{
		{"garbage as of", "as_of=last+tuesday", "as_of", "is not a date or a time", `value="last tuesday"`},
		{"a round of other talks", "as_of_round=0190f0f0-0000-7000-8000-000000000000", "as_of_round", "names no round of this negotiation", `<option value="0190f0f0-0000-7000-8000-000000000000" selected>`},
		{"a date and a round", "as_of=2025-05-20&as_of_round=" + b.round1, "as_of_round", "not both", `value="2025-05-20"`},
		{"garbage recorded as of", "as_of_round=" + b.round1 + "&recorded_as_of=yesterday", "recorded_as_of", "is not a date or a time", `value="yesterday"`},
		{"recorded before anything was", "recorded_as_of=2001-01-01", "recorded_as_of", "Nothing of this negotiation had been recorded by then", `value="2001-01-01"`},
	}
	for _, page := range []string{neg, neg + "/matrix", neg + "/report"} {
		for _, tc := range cases {
			t.Run(page+" "+tc.name, func(t *testing.T) {
				status, body, _ := viewer.get(page + "?" + tc.query)
				if status != http.StatusUnprocessableEntity {
					t.Fatalf("status %d, want 422", status)
				}
				if got := errorBeside(body, tc.inputID); !strings.Contains(got, tc.message) {
					t.Errorf("error beside %s = %q, want %q", tc.inputID, got, tc.message)
				}
				if !strings.Contains(body, "Nothing was applied") || !strings.Contains(body, tc.keep) {
					t.Errorf("the page does not say nothing was applied, or lost the typed %s", tc.keep)
				}
				// No historical heading over the present state.
				if regexp.MustCompile(`<strong>As of `).MatchString(body) || strings.Contains(body, `class="moment historic`) {
					t.Error("the page claims a moment it does not show")
				}
				if page == neg+"/report" && strings.Contains(body, "preview?as_of") {
					t.Error("the preview shows the refused moment")
				}
			})
		}
	}
}

func TestStaleDatedEditKeepsTheDating(t *testing.T) {
	b := newBackfill(t)
	_, page, _ := b.editor.get("/demands/" + b.demand + "/edit")
	form := formOf(t, page)
	// A colleague records another move first.
	if _, err := b.store.Update(context.Background(), "colleague", domain.KindDemand, b.demand, b.v0, domain.Dating{EffectiveAt: time.Date(2025, 5, 17, 0, 0, 0, 0, time.UTC)}, func(r domain.Resource) (domain.Resource, error) {
		r.(*domain.Demand).Priority = "normal"
		return r, nil
	}); err != nil {
		t.Fatal(err)
	}
	form.Set("title", "Ceasefire for 45 days")
	form.Set("effective_on", "2025-06-02")
	form.Set("change_note", "Softened in round 2")
	res := b.editor.post("/demands/"+b.demand+"/edit", form)
	if res.status != http.StatusPreconditionFailed {
		t.Fatalf("status %d, want 412", res.status)
	}
	for _, want := range []string{"Someone else saved this first", `name="effective_on" id="f-effective-on" value="2025-06-02"`, "Softened in round 2</textarea>", "with your changes to Title put back", `value="Ceasefire for 45 days"`, `name="version" value="` + b.rev(1) + `"`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("stale page lacks %s", want)
		}
	}
	if d := b.demandNow(t); d.Title == "Ceasefire for 45 days" {
		t.Error("the stale edit was saved")
	}
}
