package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/parley/parley/domain"
)

// threadSnapshot is the fixture with an argument: Russia counters the US
// proposal, which Ukraine endorses; Ukraine's 30-day demand answers the US
// proposal too, and Russia objects to it.
func threadSnapshot() *domain.Snapshot {
	s := fixtureSnapshot()
	for _, d := range s.Demands {
		if d.ID == id(30) {
			d.RespondsToID = id(31)
		}
	}
	s.Demands = append(s.Demands, &domain.Demand{Meta: domain.Meta{ID: id(34), Version: 1}, NegotiationID: id(1), PartyID: id(3), TopicID: id(20),
		Title: "Talks first <b>", State: "tabled", Priority: "normal", StatedOn: "2025-05-17", RespondsToID: id(30), Terms: map[string]any{}, Citations: []domain.Citation{}})
	return s
}

func TestReportThreads(t *testing.T) {
	r := Build(threadSnapshot(), nil, fixtureGenerated)
	var cease Topic
	for _, tp := range r.Topics {
		if tp.ID == id(20) {
			cease = tp
		}
	}
	if len(cease.Threads) != 1 || cease.Threads[0].DemandID != id(31) {
		t.Fatalf("threads %+v, want one from the US proposal", cease.Threads)
	}
	replies := cease.Threads[0].Replies
	if len(replies) != 2 {
		t.Fatalf("replies %+v", replies)
	}
	ua, ru := replies[0], replies[1]
	if ua.Party != "Ukraine" || ua.Kind != domain.ResponseCounter || ua.Depth != 1 || len(ua.Objected) != 1 || ua.Objected[0].Party != "Russia" || ua.Objected[0].Kind != "rejection" {
		t.Errorf("Ukraine's reply %+v", ua)
	}
	if ru.Party != "Russia" || ru.Depth != 2 || ru.Answers != "Immediate, unconditional 30-day ceasefire" {
		t.Errorf("Russia's reply %+v", ru)
	}
	for _, tp := range r.Topics {
		if tp.ID == id(21) && (tp.Threads == nil || len(tp.Threads) != 0) {
			t.Errorf("a topic without responses has threads %v, want []", tp.Threads)
		}
	}

	var md, html bytes.Buffer
	if err := Render(&md, "markdown", r); err != nil {
		t.Fatal(err)
	}
	if err := Render(&html, "html", r); err != nil {
		t.Fatal(err)
	}
	wantMD := "**Threads:**\n\n- United States: «US 30-day ceasefire proposal \\<script\\>alert(1)\\</script\\>»\n" +
		"  - → Ukraine, counter-demand: «Immediate, unconditional 30-day ceasefire» (tabled) — objected to by Russia (rejection, standing)\n" +
		"    - → → Russia, counter-demand: «Talks first \\<b\\>» (tabled)\n"
	if !strings.Contains(md.String(), wantMD) {
		t.Errorf("markdown threads:\n%s\nwant:\n%s", between(md.String(), "**Threads:**", "####"), wantMD)
	}
	threads := between(html.String(), `<div class="threads">`, "</div>")
	for _, want := range []string{`<li class="thread-depth-1">→ Ukraine, counter-demand: «Immediate, unconditional 30-day ceasefire» (tabled) — objected to by Russia (rejection, standing)</li>`,
		"«Talks first &lt;b&gt;»"} {
		if !strings.Contains(threads, want) {
			t.Errorf("html threads lack %s:\n%s", want, threads)
		}
	}
	if strings.Contains(html.String(), "Talks first <b>") {
		t.Error("a title is not escaped in the html report")
	}

	var pdf bytes.Buffer
	if err := Render(&pdf, "pdf", r); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(pdfTool(t, pdf.Bytes(), "pdftotext", "-enc", "UTF-8")), " ")
	for _, want := range []string{"Threads: United States: «US 30-day ceasefire proposal <script>alert(1)</script>»",
		"→ Ukraine, counter-demand: «Immediate, unconditional 30-day ceasefire» (tabled) — objected to by Russia (rejection, standing)",
		"→ → Russia, counter-demand: «Talks first <b>» (tabled)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the pdf's threads lack %q:\n%s", want, between(text, "Threads:", "Demands"))
		}
	}

	// The csv names on each response's row how it answers and what.
	var csvOut bytes.Buffer
	if err := Render(&csvOut, "csv", r); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvOut.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range records[0] {
		col[h] = i
	}
	byID := map[string][]string{}
	for _, rec := range records[1:] {
		if rec[col["record"]] == "demand" {
			byID[rec[col["id"]]] = rec
		}
	}
	for demand, want := range map[string][2]string{id(30): {"counter-demand", id(31)}, id(34): {"counter-demand", id(30)}, id(31): {"", ""}} {
		rec := byID[demand]
		if len(rec) != len(records[0]) {
			t.Errorf("no csv row of demand %s", demand)
			continue
		}
		if rec[col["kind"]] != want[0] || rec[col["responds_to_id"]] != want[1] {
			t.Errorf("csv row of demand %s: kind %q, responds_to_id %q; want %q, %q", demand, rec[col["kind"]], rec[col["responds_to_id"]], want[0], want[1])
		}
	}

	// The xlsx has a sheet of the threads, a row per response.
	var x bytes.Buffer
	if err := Render(&x, "xlsx", r); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&x)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Threads")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || strings.Join(rows[1], "|") != "Ceasefire|United States|US 30-day ceasefire proposal <script>alert(1)</script>|1|Ukraine|counter-demand|Immediate, unconditional 30-day ceasefire|tabled|US 30-day ceasefire proposal <script>alert(1)</script>||Russia (rejection, standing)" {
		t.Errorf("the Threads sheet:\n%q", rows)
	}
}

// A mediator's response is a bridging proposal, and its endorsers are
// named.
func TestReportThreadsBridging(t *testing.T) {
	s := fixtureSnapshot()
	s.Demands = append(s.Demands, &domain.Demand{Meta: domain.Meta{ID: id(35), Version: 1}, NegotiationID: id(1), PartyID: id(5), TopicID: id(21),
		Title: "Exchange lists", State: "tabled", StatedOn: "2025-05-18", RespondsToID: id(32), Terms: map[string]any{}, Citations: []domain.Citation{}})
	s.Endorsements = append(s.Endorsements, &domain.Endorsement{Meta: domain.Meta{ID: id(61), Version: 1}, DemandID: id(35), PartyID: id(2), StatedOn: "2025-05-19"})
	var md bytes.Buffer
	if err := Render(&md, "markdown", Build(s, nil, fixtureGenerated)); err != nil {
		t.Fatal(err)
	}
	if want := "  - → United States, bridging proposal: «Exchange lists» (tabled) — endorsed by Ukraine\n"; !strings.Contains(md.String(), want) {
		t.Errorf("markdown lacks %q:\n%s", want, md.String())
	}
}

func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s[len(start):], end); j >= 0 {
		return s[:len(start)+j]
	}
	return s
}
