package ui_test

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/report/reporttest"
)

// conference is a negotiation too big for one matrix page (30 parties by
// 40 topics, 3,200 demands, objections and endorsements), loaded through
// the store beside the demo.
var conference = reporttest.Size{Parties: 30, Rounds: 1, Topics: 40, Demands: 1600, Objections: 800, Endorsements: 800}

// TestMatrixTopicPages pages a big matrix's topics: each page a slice of
// them, the pages together every topic once, the links keeping the other
// choices of the URL, all at once on request, and a page that is none
// answered 422 with the form's error.
func TestMatrixTopicPages(t *testing.T) {
	app := newApp(t)
	neg, err := reporttest.Load(context.Background(), app.store, reporttest.Generate(conference, 7))
	if err != nil {
		t.Fatal(err)
	}
	if err := addBloc(context.Background(), app.store, neg, 10); err != nil {
		t.Fatal(err)
	}
	viewer := app.signIn(domain.RoleViewer)
	base := "/negotiations/" + neg + "/matrix"

	topicRow := regexp.MustCompile(`<tr class="topic-row[^>]*>\s*<th scope="row"><a href="[^"#]*#topic-([^"]+)"`)
	topics := func(body string) []string {
		var ids []string
		for _, m := range topicRow.FindAllStringSubmatch(body, -1) {
			ids = append(ids, m[1])
		}
		return ids
	}
	link := func(body, rel string) string {
		m := regexp.MustCompile(`<a class="button small" href="([^"]+)" rel="` + rel + `">`).FindStringSubmatch(body)
		if m == nil {
			return ""
		}
		return html.UnescapeString(m[1])
	}

	_, all, _ := viewer.get(base + "?page=all")
	every := topics(all)
	if len(every) != conference.Topics {
		t.Fatalf("page=all shows %d of %d topics", len(every), conference.Topics)
	}
	// A page is built from its own topics only: each row, inherited bloc
	// positions and divergences included, reads as it does among all.
	for _, q := range []string{"", "?group_by=bloc"} {
		sep := "?"
		if q != "" {
			sep = "&"
		}
		_, whole, _ := viewer.get(base + q + sep + "page=all")
		want := rowsByTopic(whole)
		for page := 1; ; page++ {
			status, body, _ := viewer.get(base + q + sep + "page=" + strconv.Itoa(page))
			if status != http.StatusOK {
				break
			}
			for id, row := range rowsByTopic(body) {
				if row != want[id] {
					t.Errorf("%s page %d: topic %s reads otherwise than among all:\n%s\nagainst\n%s", q, page, id, row, want[id])
				}
			}
		}
	}

	// From the first page, follow the next links to the last: every topic
	// once, in order, each page the same choices.
	status, body, _ := viewer.get(base + "?view=compact&role=principal")
	if status != http.StatusOK {
		t.Fatalf("first page: %d", status)
	}
	if !strings.Contains(body, `<nav class="pager" aria-label="Pages of topics">`) || strings.Contains(body, `rel="prev"`) {
		t.Error("the first page has no pager, or a link back")
	}
	var seen []string
	pages := 0
	for {
		pages++
		shown := topics(body)
		if len(shown) == 0 || len(shown) >= conference.Topics {
			t.Fatalf("page %d shows %d of %d topics", pages, len(shown), conference.Topics)
		}
		seen = append(seen, shown...)
		next := link(body, "next")
		if next == "" {
			break
		}
		for _, keep := range []string{"view=compact", "role=principal"} {
			if !strings.Contains(next, keep) {
				t.Errorf("page %d: the next link %q drops %s", pages, next, keep)
			}
		}
		if status, body, _ = viewer.get(next); status != http.StatusOK {
			t.Fatalf("%s: %d", next, status)
		}
		if prev := link(body, "prev"); prev == "" {
			t.Errorf("page %d has no link back", pages+1)
		}
		if pages > conference.Topics {
			t.Fatal("the next links never end")
		}
	}
	if pages < 2 || strings.Join(seen, " ") != strings.Join(every, " ") {
		t.Errorf("%d pages show %d topics; all at once shows %d, in another order or with some missing", pages, len(seen), len(every))
	}

	for _, bad := range []string{"0", "99", "x", "-1"} {
		status, body, _ := viewer.get(base + "?page=" + bad)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "Choose a page from 1 to ") {
			t.Errorf("page=%s: status %d, no error on the page", bad, status)
		}
		if len(topics(body)) == 0 {
			t.Errorf("page=%s: no topics shown while the page is corrected", bad)
		}
	}

	// The demo's matrix fits one page: no pager.
	if _, body, _ := viewer.get("/negotiations/" + app.negotiation + "/matrix"); strings.Contains(body, `class="pager"`) {
		t.Error("a small matrix shows a pager")
	}
}

// rowsByTopic cuts a matrix page into its topic rows, by topic id.
func rowsByTopic(body string) map[string]string {
	rows := map[string]string{}
	start := regexp.MustCompile(`#topic-([^"]+)"`)
	for _, part := range strings.Split(body, `<tr class="topic-row`)[1:] {
		part, _, _ = strings.Cut(part, "</tbody>")
		if m := start.FindStringSubmatch(part); m != nil {
			rows[m[1]] = strings.TrimSpace(part)
		}
	}
	return rows
}
