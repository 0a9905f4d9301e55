package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/report"
)

// TestFormsCreateAndEditEveryKind records a small negotiation through the
// forms alone, kind by kind, and checks what the store holds.
func TestFormsCreateAndEditEveryKind(t *testing.T) {
	app := newApp(t)
	editor := app.signIn("editor")
	ctx := context.Background()
	turkey := app.partyID("Turkey")
	ids := map[string]string{}

	steps := []struct {
		kind  domain.Kind
		key   string
		form  func() url.Values
		check func(t *testing.T, r domain.Resource)
	}{
		{domain.KindParty, "eu", func() url.Values {
			return url.Values{"name": {"European Union"}, "short_name": {"EU"}, "kind": {"bloc"}, "aliases": {"Union européenne\r\n\r\n  Europäische Union  "}}
		}, func(t *testing.T, r domain.Resource) {
			p := r.(*domain.Party)
			if p.PartyKind != "bloc" || strings.Join(p.Aliases, "|") != "Union européenne|Europäische Union" {
				t.Errorf("party %+v", p)
			}
		}},
		{domain.KindNegotiation, "neg", func() url.Values {
			return url.Values{"title": {"Black Sea grain talks"}, "status": {"active"}, "started_on": {"2025-06-01"},
				"participants[0].party_id": {ids["eu"]}, "participants[0].role": {"principal"},
				"participants[1].party_id": {""}, "participants[1].role": {""},
				"participants[2].party_id": {turkey}, "participants[2].role": {"mediator"}}
		}, func(t *testing.T, r domain.Resource) {
			n := r.(*domain.Negotiation)
			if len(n.Participants) != 2 || n.Role(ids["eu"]) != "principal" || n.Role(turkey) != "mediator" {
				t.Errorf("participants %+v", n.Participants)
			}
		}},
		{domain.KindRound, "round", func() url.Values {
			return url.Values{"negotiation_id": {ids["neg"]}, "title": {"First round"}, "starts_on": {"2025-06-02"}, "format": {"mediated"}, "host_party_id": {turkey}, "venue": {"Çırağan Palace"}}
		}, func(t *testing.T, r domain.Resource) {
			if rd := r.(*domain.Round); rd.HostPartyID != turkey || rd.Venue != "Çırağan Palace" {
				t.Errorf("round %+v", rd)
			}
		}},
		{domain.KindDelegation, "delegation", func() url.Values {
			return url.Values{"round_id": {ids["round"]}, "party_id": {ids["eu"]}, "head_name": {"Kaja Kallas"}, "level": {"ministerial"},
				"members": {"Kaja Kallas — High Representative\nJohn Smith\nAnna Nowak - Adviser"}}
		}, func(t *testing.T, r domain.Resource) {
			d := r.(*domain.Delegation)
			want := []domain.Member{{Name: "Kaja Kallas", Title: "High Representative"}, {Name: "John Smith"}, {Name: "Anna Nowak", Title: "Adviser"}}
			if len(d.Members) != len(want) || d.Members[0] != want[0] || d.Members[1] != want[1] || d.Members[2] != want[2] {
				t.Errorf("members %+v", d.Members)
			}
		}},
		{domain.KindTopic, "topic", func() url.Values {
			return url.Values{"negotiation_id": {ids["neg"]}, "title": {"Grain corridor"}, "sort_order": {"-3"}}
		}, func(t *testing.T, r domain.Resource) {
			if tp := r.(*domain.Topic); tp.SortOrder != -3 {
				t.Errorf("topic %+v", tp)
			}
		}},
		{domain.KindDemand, "demand", func() url.Values {
			return url.Values{"negotiation_id": {ids["neg"]}, "party_id": {ids["eu"]}, "topic_id": {ids["topic"]}, "round_id": {ids["round"]},
				"title": {"Safe passage for grain ships"}, "stated_on": {"2025-06-02"}, "status": {"tabled"}, "priority": {"core"},
				"terms":              {"ships_per_week = 20\nescorted = true\nport = Odesa\ncode = \"42\""},
				"citations[0].title": {"Communiqué"}, "citations[0].url": {"https://example.org/c"}, "citations[0].reliability": {"B"}, "citations[0].credibility": {"2"},
				"citations[1].title": {""}, "citations[1].url": {""}}
		}, func(t *testing.T, r domain.Resource) {
			d := r.(*domain.Demand)
			if d.Terms["ships_per_week"] != float64(20) || d.Terms["escorted"] != true || d.Terms["port"] != "Odesa" || d.Terms["code"] != "42" {
				t.Errorf("terms %#v", d.Terms)
			}
			if len(d.Citations) != 1 || d.Citations[0].Grading() != "B2" {
				t.Errorf("citations %+v", d.Citations)
			}
		}},
		{domain.KindObjection, "objection", func() url.Values {
			return url.Values{"demand_id": {ids["demand"]}, "party_id": {turkey}, "grounds": {"Escorts need the Montreux rules"}, "kind": {"condition"}, "status": {"standing"}, "stated_on": {"2025-06-03"}}
		}, func(t *testing.T, r domain.Resource) {
			if o := r.(*domain.Objection); o.Type != "condition" || o.NegotiationID != ids["neg"] {
				t.Errorf("objection %+v", o)
			}
		}},
		{domain.KindEndorsement, "endorsement", func() url.Values {
			return url.Values{"demand_id": {ids["demand"]}, "party_id": {turkey}, "stated_on": {"2025-06-04"}, "note": {"Backs passage in principle"}}
		}, func(t *testing.T, r domain.Resource) {
			if e := r.(*domain.Endorsement); e.Note != "Backs passage in principle" {
				t.Errorf("endorsement %+v", e)
			}
		}},
	}
	for _, step := range steps {
		t.Run(string(step.kind), func(t *testing.T) {
			before, err := app.store.List(ctx, domain.ListQuery{Kind: step.kind, Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			form := step.form()
			form.Set("csrf", editor.csrf())
			res := editor.post("/"+string(step.kind)+"/new", form)
			if res.status != http.StatusSeeOther {
				t.Fatalf("create: %d\n%s", res.status, res.body)
			}
			after, err := app.store.List(ctx, domain.ListQuery{Kind: step.kind, Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			if len(after.Items) != len(before.Items)+1 {
				t.Fatalf("%d %s, want %d", len(after.Items), step.kind, len(before.Items)+1)
			}
			r := after.Items[len(after.Items)-1]
			ids[step.key] = r.Base().ID
			step.check(t, r)

			// The edit form shows what was stored, and saving it unchanged
			// keeps it as it was: no change, so no new version.
			status, page, _ := editor.get("/" + string(step.kind) + "/" + r.Base().ID + "/edit")
			if status != http.StatusOK || !strings.Contains(page, `name="version" value="1"`) {
				t.Fatalf("edit form: %d", status)
			}
			form.Set("version", "1")
			res = editor.post("/"+string(step.kind)+"/"+r.Base().ID+"/edit", form)
			if res.status != http.StatusSeeOther {
				t.Fatalf("edit: %d\n%s", res.status, res.body)
			}
			saved, err := app.store.Get(ctx, step.kind, r.Base().ID)
			if err != nil {
				t.Fatal(err)
			}
			if saved.Base().Version != 1 {
				t.Errorf("version %d after saving an unchanged form, want 1", saved.Base().Version)
			}
			step.check(t, saved)
		})
	}

	t.Run("edit forms write values back as typed", func(t *testing.T) {
		_, page, _ := editor.get("/demands/" + ids["demand"] + "/edit")
		for _, want := range []string{"code = &#34;42&#34;", "escorted = true", "port = Odesa", "ships_per_week = 20", `value="https://example.org/c"`} {
			if !strings.Contains(page, want) {
				t.Errorf("demand edit form lacks %q", want)
			}
		}
		_, page, _ = editor.get("/delegations/" + ids["delegation"] + "/edit")
		if !strings.Contains(page, "Kaja Kallas — High Representative\nJohn Smith\nAnna Nowak — Adviser") {
			t.Error("delegation members not written back one per line")
		}
		_, page, _ = editor.get("/negotiations/" + ids["neg"] + "/edit")
		// Two participants and three spare rows.
		if !strings.Contains(page, `name="participants[4].party_id"`) || strings.Contains(page, `name="participants[5].party_id"`) {
			t.Error("participant rows: want the 2 stored and 3 spare")
		}
	})

	t.Run("the overview and demand page show it all", func(t *testing.T) {
		_, page, _ := editor.get("/negotiations/" + ids["neg"])
		for _, want := range []string{"Black Sea grain talks", "European Union", "mediator", "First round", "Kaja Kallas", "Anna Nowak", "Grain corridor", "Safe passage for grain ships", "state-contested"} {
			if !strings.Contains(page, want) {
				t.Errorf("overview lacks %q", want)
			}
		}
		_, page, _ = editor.get("/demands/" + ids["demand"])
		for _, want := range []string{"Escorts need the Montreux rules", "Backs passage in principle", `href="https://example.org/c"`, "B2", "ships per week"} {
			if !strings.Contains(page, want) {
				t.Errorf("demand page lacks %q", want)
			}
		}
	})
}

func TestMatrixChoosesPartiesAndFilters(t *testing.T) {
	app := newApp(t)
	viewer := app.signIn("viewer")
	base := "/negotiations/" + app.negotiation + "/matrix"
	ukraine, russia, us := app.partyID("Ukraine"), app.partyID("Russia"), app.partyID("United States")
	round := app.find(domain.KindRound, func(domain.Resource) bool { return true }).Base().ID
	cases := []struct {
		name     string
		query    url.Values
		status   int
		columns  int
		want     []string
		wantNot  []string
		errorFor string
		// filtersOpen: the filter form is unfolded when a filter is in
		// force or wants correcting, folded on the default view.
		filtersOpen bool
	}{
		{"every participant", nil, http.StatusOK, 4, []string{"Ceasefire", "Leaders", "Ceasefire duration", "no gap", "Objects"}, nil, "", false},
		{"two side by side", url.Values{"party_id": {ukraine, russia}}, http.StatusOK, 2, []string{"Objects", "Immediate, unconditional"}, []string{"30-day ceasefire proposal</a>\n"}, "", true},
		{"contested only", url.Values{"state": {"contested"}}, http.StatusOK, 4, []string{"Ceasefire", "4 topic(s) in other states are hidden"}, []string{"Children</a>"}, "", true},
		{"every state and no party is the default view", url.Values{"state": {""}, "as_of": {" "}}, http.StatusOK, 4, nil, nil, "", false},
		{"terms line up between two parties", url.Values{"party_id": {ukraine, us}}, http.StatusOK, 2, []string{"term-row"}, nil, "", true},
		// In negotiation time the talks exist before they start, empty.
		{"as of before the talks", url.Values{"as_of": {"2001-01-01"}}, http.StatusOK, 0, []string{"had not started by then", "No topics to show."}, nil, "", true},
		{"as of garbage", url.Values{"as_of": {"last tuesday"}}, http.StatusUnprocessableEntity, 4, nil, nil, "as_of", true},
		{"as of now", url.Values{"as_of": {"2099-01-01T10:00"}}, http.StatusOK, 4, []string{"As of 1 Jan 2099, 10:00 UTC, as recorded now"}, nil, "", true},
		// A round chosen with one click shows in the bar above the folded form.
		{"as of a round", url.Values{"as_of_round": {round}}, http.StatusOK, 4, []string{"As of the end of Istanbul round (16 May 2025), as recorded now", `aria-current="true" class="current">End of Istanbul round</a>`}, nil, "", false},
		{"a party not at the table", url.Values{"party_id": {"0190f0f0-0000-7000-8000-000000000000"}}, http.StatusUnprocessableEntity, 4, []string{"Choose parties that take part"}, nil, "", true},
		{"a state that does not exist", url.Values{"state": {"frozen"}}, http.StatusUnprocessableEntity, 4, []string{"Choose one of the listed states."}, nil, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body, _ := viewer.get(base + "?" + tc.query.Encode())
			if status != tc.status {
				t.Fatalf("status %d, want %d", status, tc.status)
			}
			head := ""
			if i := strings.Index(body, "<thead>"); i >= 0 {
				head = body[i:strings.Index(body, "</thead>")]
			}
			if n := strings.Count(head, `class="party-name"`); n != tc.columns {
				t.Errorf("%d columns, want %d", n, tc.columns)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("matrix lacks %q", w)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(body, w) {
					t.Errorf("matrix shows %q", w)
				}
			}
			if tc.errorFor != "" && errorBeside(body, tc.errorFor) == "" {
				t.Errorf("no error beside %s", tc.errorFor)
			}
			panel := `<details class="filter-panel">`
			if tc.filtersOpen {
				panel = `<details class="filter-panel" open>`
			}
			if !strings.Contains(body, panel) || strings.Index(body, panel) > strings.Index(body, `<form method="get"`) {
				t.Errorf("the filters are not inside %s", panel)
			}
		})
	}
}

func TestReportDownloadsAndPreview(t *testing.T) {
	app := newApp(t)
	viewer := app.signIn("viewer")
	base := "/negotiations/" + app.negotiation + "/report"
	types := map[string]string{"markdown": "text/markdown", "html": "text/html", "pdf": "application/pdf", "csv": "text/csv",
		"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "json": "application/json"}
	_, page, _ := viewer.get(base + "?since=2020-01-01&as_of=2099-01-01")
	for _, f := range report.FormatNames() {
		t.Run(f, func(t *testing.T) {
			link := "/negotiations/" + app.negotiation + "/report/download?as_of=2099-01-01&amp;format=" + f + "&amp;since=2020-01-01"
			if !strings.Contains(page, link) {
				t.Fatalf("report page lacks the link %s", link)
			}
			status, body, h := viewer.get(strings.ReplaceAll(link, "&amp;", "&"))
			if status != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), types[f]) {
				t.Fatalf("%d %q", status, h.Get("Content-Type"))
			}
			// The title's whole words, then the date the report describes,
			// kept apart by "as of".
			ext := map[string]string{"markdown": "md"}[f]
			if ext == "" {
				ext = f
			}
			if cd, want := h.Get("Content-Disposition"), "attachment; filename=parley-istanbul-talks-may-2025-as-of-2099-01-01."+ext; cd != want {
				t.Errorf("Content-Disposition %q, want %q", cd, want)
			}
			if len(body) < 100 {
				t.Errorf("only %d bytes", len(body))
			}
		})
	}
	t.Run("preview may be framed by parley only, and runs no script", func(t *testing.T) {
		status, body, h := viewer.get(base + "/preview")
		if status != http.StatusOK || !strings.Contains(body, "Rustem Umerov") {
			t.Fatalf("preview %d", status)
		}
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'self'") || !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
			t.Errorf("preview CSP %q", csp)
		}
		if h.Get("X-Frame-Options") != "SAMEORIGIN" {
			t.Errorf("X-Frame-Options %q", h.Get("X-Frame-Options"))
		}
	})
	bad := []struct {
		path   string
		status int
	}{
		{base + "/download?format=docx", http.StatusNotFound},
		{base + "/download?format=pdf&since=yesterday", http.StatusBadRequest},
		{base + "?since=yesterday", http.StatusUnprocessableEntity},
		// A window that opens after the moment shown.
		{base + "?since=2025-05-17&as_of=2025-05-16", http.StatusUnprocessableEntity},
		{base + "/download?format=pdf&since=2025-05-17&as_of=2025-05-16", http.StatusBadRequest},
		{"/negotiations/0190f0f0-0000-7000-8000-000000000000/report/download?format=csv", http.StatusNotFound},
	}
	for _, b := range bad {
		if status, body, h := viewer.get(b.path); status != b.status || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
			t.Errorf("%s: %d %q, want %d HTML", b.path, status, h.Get("Content-Type"), b.status)
		} else if strings.Contains(body, "sql") || strings.Contains(body, "gorm") {
			t.Errorf("%s leaks internals", b.path)
		}
	}
	t.Run("signed out gets no report", func(t *testing.T) {
		status, _, h := app.anonymous().get(base + "/download?format=json")
		if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
			t.Fatalf("%d %q", status, h.Get("Location"))
		}
	})
}

func TestHistoryShowsWhatChanged(t *testing.T) {
	app := newApp(t)
	editor := app.signIn("editor")
	russia := app.partyID("Russia")
	_, page, _ := editor.get("/parties/" + russia + "/edit")
	res := editor.post("/parties/"+russia+"/edit", url.Values{"csrf": {csrfOf(t, page)}, "version": {"1"}, "name": {"Russia"}, "kind": {"state"},
		"aliases": {"Russian Federation\nRF\nRossiya"}, "notes": {"Sent a mid-level delegation."}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("edit: %d", res.status)
	}
	status, body, _ := editor.get("/parties/" + russia + "/history")
	if status != http.StatusOK {
		t.Fatalf("history %d", status)
	}
	for _, want := range []string{"Revision 2", "Revision 1", "updated", "created", "Aliases", "Rossiya", "Sent a mid-level delegation.", "by " + editor.user} {
		if !strings.Contains(body, want) {
			t.Errorf("history lacks %q", want)
		}
	}
	// Newest first.
	if strings.Index(body, "Revision 2") > strings.Index(body, "Revision 1") {
		t.Error("history is not newest first")
	}
	// Parties belong to no negotiation: only record time applies.
	if strings.Contains(body, "Took effect") || !strings.Contains(body, "<dt>Recorded</dt>") {
		t.Error("a party's history shows negotiation time, or no record time")
	}

	// A deleted demand keeps its history, with references shown by name.
	demand := app.find(domain.KindDemand, func(r domain.Resource) bool { return strings.Contains(r.(*domain.Demand).Title, "Trump") })
	res = editor.post("/demands/"+demand.Base().ID+"/delete", url.Values{"csrf": {editor.csrf()}, "version": {"1"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("delete: %d %s", res.status, res.body)
	}
	status, body, _ = editor.get("/demands/" + demand.Base().ID + "/history")
	if status != http.StatusOK || !strings.Contains(body, "has been deleted") || !strings.Contains(body, "deleted") || !strings.Contains(body, "United States") {
		t.Fatalf("history of a deleted demand: %d", status)
	}
	if !strings.Contains(body, "deleted as recorded in error") {
		t.Error("the delete is not shown as recorded in error")
	}
	if !strings.Contains(body, `<th scope="row">Demanding party</th><td class="before">United States</td>`) || strings.Contains(body, "party id") {
		t.Error("the history names the demanding party's field and value other than by name")
	}
	if status, _, _ := editor.get("/demands/" + demand.Base().ID); status != http.StatusNotFound {
		t.Errorf("deleted demand page: %d", status)
	}
}

// TestHistoryShowsListsAsLines checks that a revision shows lists and
// objects (sources, participants, members, terms, aliases) as lines people
// read, escaped, rather than as the JSON they are stored as.
func TestHistoryShowsListsAsLines(t *testing.T) {
	app := newApp(t)
	editor := app.signIn("editor")
	ctx := context.Background()
	ukraine := app.partyID("Ukraine")
	cases := []struct {
		name   string
		kind   domain.Kind
		match  func(domain.Resource) bool
		change func(domain.Resource)
		want   []string
	}{
		{
			name:  "a demand whose citations and terms change",
			kind:  domain.KindDemand,
			match: func(r domain.Resource) bool { return r.(*domain.Demand).Terms["duration_days"] != nil },
			change: func(r domain.Resource) {
				d := r.(*domain.Demand)
				d.Terms = map[string]any{"duration_days": 60.0, "unconditional": false}
				d.Citations = []domain.Citation{
					{Publisher: "Reuters", Title: "Talks <resume> in Istanbul", URL: "https://example.org/istanbul", PublishedAt: "2025-05-16",
						Locator: "para 4", Quote: `"We will not yield"`, Reliability: "B", Credibility: "2"},
					{Publisher: "Kremlin", Title: "Transcript", Locator: "08:13"},
				}
			},
			want: []string{
				`<a href="https://example.org/istanbul" rel="noopener noreferrer" target="_blank">Talks &lt;resume&gt; in Istanbul</a>, Reuters, 16 May 2025, para 4`,
				`>B2</abbr>`,
				`<blockquote>&#34;We will not yield&#34;</blockquote>`,
				// No URL, so no link: the title stands as a citation.
				`<cite>Transcript</cite>, Kremlin, 08:13`,
				`<li>duration days = 30</li>`, `<li>duration days = 60</li>`, `<li>unconditional = no</li>`,
			},
		},
		{
			name:   "a negotiation whose participants change",
			kind:   domain.KindNegotiation,
			match:  func(domain.Resource) bool { return true },
			change: func(r domain.Resource) { r.(*domain.Negotiation).Participants[0].Role = "observer" },
			want:   []string{`<li>Ukraine (principal)</li>`, `<li>Ukraine (observer)</li>`, `<li>Turkey (host)</li>`},
		},
		{
			name:  "a delegation whose members change",
			kind:  domain.KindDelegation,
			match: func(r domain.Resource) bool { return r.(*domain.Delegation).PartyID == ukraine },
			change: func(r domain.Resource) {
				r.(*domain.Delegation).Members = []domain.Member{{Name: "Andrii Sybiha", Title: "Foreign Minister"}, {Name: "An <aide>"}}
			},
			want: []string{`<li>Andrii Sybiha, Foreign Minister</li>`, `<li>An &lt;aide&gt;</li>`},
		},
		{
			name:   "a party whose aliases change",
			kind:   domain.KindParty,
			match:  func(r domain.Resource) bool { return r.(*domain.Party).Name == "Russia" },
			change: func(r domain.Resource) { p := r.(*domain.Party); p.Aliases = append(p.Aliases, "Rossiya") },
			want:   []string{`<li>Russian Federation</li><li>RF</li></ul>`, `<li>Russian Federation</li><li>RF</li><li>Rossiya</li>`},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := app.find(tc.kind, tc.match)
			if r == nil {
				t.Fatal("no such resource in the demo")
			}
			_, err := app.store.Update(ctx, editor.user, tc.kind, r.Base().ID, 0, domain.Dating{}, func(cur domain.Resource) (domain.Resource, error) {
				tc.change(cur)
				return cur, nil
			})

			if err != nil {
				t.Fatal(err)
			}
			status, body, _ := editor.get("/" + string(tc.kind) + "/" + r.Base().ID + "/history")
			if status != http.StatusOK {
				t.Fatalf("history %d", status)
			}
			for _, want := range tc.want {
				if !strings.Contains(body, want) {
					t.Errorf("history lacks %s", want)
				}
			}
			// Stored JSON, escaped, would start a list or object with a quote.
			for _, raw := range []string{`[{&#34;`, `{&#34;`, `[&#34;`, `party_id`} {
				if strings.Contains(body, raw) {
					t.Errorf("history shows raw JSON (%s)", raw)
				}
			}
		})
	}
}
