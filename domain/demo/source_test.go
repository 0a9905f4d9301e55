package demo_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/domain/demo"
	"github.com/parley/parley/store/storetest"
)

// reportFile is the source of the demo: Newsweek's live report of 16 May 2025
// on the Istanbul talks, as saved text, copied byte for byte from the
// project's seed 000_a1b1c4cfb91b34a8.txt so that the test does not depend on
// where that seed is kept.
const reportFile = "testdata/newsweek-2025-05-16.txt"

// summary is the locator of the report's opening summary, the text before
// its first time stamp.
const summary = "What to Know"

// entryTimes are the report's locators, each with the instant in UTC at
// which a claim from that entry takes effect: the time stamp on 16 May 2025
// in EDT (UTC−4), and for the summary, which has none, the start of the day.
var entryTimes = map[string]time.Time{
	summary:        time.Date(2025, 5, 16, 0, 0, 0, 0, time.UTC),
	"07:29 AM EDT": time.Date(2025, 5, 16, 11, 29, 0, 0, time.UTC),
	"07:42 AM EDT": time.Date(2025, 5, 16, 11, 42, 0, 0, time.UTC),
	"07:57 AM EDT": time.Date(2025, 5, 16, 11, 57, 0, 0, time.UTC),
	"08:13 AM EDT": time.Date(2025, 5, 16, 12, 13, 0, 0, time.UTC),
}

var stampLine = regexp.MustCompile(`^\d\d:\d\d [AP]M EDT$`)

// reportEntries splits the report into its entries, each keyed by its
// locator: a time stamp line opens an entry that runs to the next one.
func reportEntries(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(reportFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	entries := map[string]string{}
	locator := summary
	var text strings.Builder
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if stampLine.MatchString(strings.TrimSpace(line)) {
			entries[locator] = text.String()
			locator = strings.TrimSpace(line)
			text.Reset()
			continue
		}
		text.WriteString(line)
		text.WriteString("\n")
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	entries[locator] = text.String()
	return entries
}

// Only these differences between a quote and the report are forgiven: a
// run of white space (spaces, tabs, line breaks) against another, and a
// curly quotation mark or apostrophe (‘ ’ “ ”) against its straight form
// (' "). Dashes, ellipses, case and every other character must match.
var (
	spaceRun = regexp.MustCompile(`\s+`)
	straight = strings.NewReplacer("‘", "'", "’", "'", "“", `"`, "”", `"`)
)

func normalize(s string) string {
	return strings.TrimSpace(spaceRun.ReplaceAllString(straight.Replace(s), " "))
}

// foundCitation is a citation found anywhere in what the demo stored, with
// where it was found.
type foundCitation struct {
	where string
	domain.Citation
}

// citationsIn walks any JSON value and returns every object in it that is
// a citation (has a locator and a quote), so that no citation escapes the
// check whatever field carries it.
func citationsIn(t *testing.T, where string, v any) []foundCitation {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var tree any
	if err := json.Unmarshal(b, &tree); err != nil {
		t.Fatal(err)
	}
	var out []foundCitation
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if _, ok := x["quote"]; ok {
				if _, ok := x["locator"]; ok {
					var c domain.Citation
					raw, _ := json.Marshal(x)
					if err := json.Unmarshal(raw, &c); err != nil {
						t.Fatalf("%s: %v", path, err)
					}
					out = append(out, foundCitation{path, c})
					return
				}
			}
			for k, e := range x {
				walk(path+"."+k, e)
			}
		case []any:
			for i, e := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), e)
			}
		}
	}
	walk(where, tree)
	return out
}

// loaded is the demo as the store holds it: the latest snapshot and the
// whole timeline of the negotiation.
type loaded struct {
	store    domain.Store
	id       string
	latest   *domain.Snapshot
	timeline []domain.Revision
}

func loadDemo(t *testing.T) loaded {
	t.Helper()
	ctx := context.Background()
	s := storetest.Open(t)
	id, _, err := demo.Load(ctx, s, "demo")
	if err != nil {
		t.Fatal(err)
	}
	snap, err := s.Snapshot(ctx, id, domain.Moment{})
	if err != nil {
		t.Fatal(err)
	}
	tl, err := s.Timeline(ctx, id, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return loaded{store: s, id: id, latest: snap, timeline: tl}
}

func TestReportHasTheEntriesTheDemoCites(t *testing.T) {
	entries := reportEntries(t)
	var got, want []string
	for l := range entries {
		got = append(got, l)
	}
	for l := range entryTimes {
		want = append(want, l)
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("the report's entries are %q, want %q", got, want)
	}
	for l, text := range entries {
		if strings.TrimSpace(text) == "" {
			t.Errorf("entry %q is empty", l)
		}
	}
}

// TestEveryQuoteIsInItsEntry checks every citation the demo stored, in the
// present state and in every revision of its history (change citations
// included): its quote is a span of the report, and of the very entry its
// locator names.
func TestEveryQuoteIsInItsEntry(t *testing.T) {
	d := loadDemo(t)
	entries := reportEntries(t)
	report := normalize(strings.Join(mapValues(entries), "\n"))
	found := append(citationsIn(t, "snapshot", d.latest), citationsIn(t, "timeline", d.timeline)...)
	if len(found) < 10 {
		t.Fatalf("found only %d citations in what the demo loaded", len(found))
	}
	for _, c := range found {
		q := normalize(c.Quote)
		if q == "" || !strings.Contains(report, q) {
			t.Errorf("%s: quote %q is not in the report", c.where, c.Quote)
			continue
		}
		entry, ok := entries[c.Locator]
		if !ok {
			t.Errorf("%s: locator %q is neither a time stamp of the report nor %q", c.where, c.Locator, summary)
			continue
		}
		if !strings.Contains(normalize(entry), q) {
			t.Errorf("%s: quote %q is not in the entry at %s", c.where, c.Quote, c.Locator)
		}
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// latestEntry is when the latest entry among cs was posted.
func latestEntry(t *testing.T, what string, cs []domain.Citation) time.Time {
	t.Helper()
	if len(cs) == 0 {
		t.Errorf("%s cites nothing", what)
	}
	var latest time.Time
	for _, c := range cs {
		at, ok := entryTimes[c.Locator]
		if !ok {
			t.Errorf("%s: unknown locator %q", what, c.Locator)
		}
		if at.After(latest) {
			latest = at
		}
	}
	return latest
}

// claims lists the demands, objections and endorsements of a snapshot with
// their citations.
func claims(s *domain.Snapshot) map[domain.Resource][]domain.Citation {
	out := map[domain.Resource][]domain.Citation{}
	for _, d := range s.Demands {
		out[d] = d.Citations
	}
	for _, o := range s.Objections {
		out[o] = o.Citations
	}
	for _, e := range s.Endorsements {
		out[e] = e.Citations
	}
	return out
}

func isClaim(k domain.Kind) bool {
	return k == domain.KindDemand || k == domain.KindObjection || k == domain.KindEndorsement
}

// TestClaimsRunOnTheReportsClock checks that every claim, and every revision
// of one, takes effect when the latest entry it cites was posted, in UTC,
// and that the rest of the negotiation keeps its own date.
func TestClaimsRunOnTheReportsClock(t *testing.T) {
	d := loadDemo(t)
	for r, cs := range claims(d.latest) {
		what := fmt.Sprintf("%s %s", r.Kind().Singular(), r.Base().ID)
		if want := latestEntry(t, what, cs); !r.Base().EffectiveAt.Equal(want) {
			t.Errorf("%s takes effect at %s, want %s", what, r.Base().EffectiveAt.Format(time.RFC3339), want.Format(time.RFC3339))
		}
	}
	day := time.Date(2025, 5, 16, 0, 0, 0, 0, time.UTC)
	for _, rev := range d.timeline {
		what := fmt.Sprintf("%s %s revision %d", rev.ResourceType.Singular(), rev.ResourceID, rev.Revision)
		if !isClaim(rev.ResourceType) {
			if !rev.EffectiveAt.Equal(day) {
				t.Errorf("%s takes effect at %s, want its own date %s", what, rev.EffectiveAt.Format(time.RFC3339), day.Format(time.RFC3339))
			}
			continue
		}
		var as struct {
			Citations []domain.Citation `json:"citations"`
		}
		if err := json.Unmarshal(rev.Resource, &as); err != nil {
			t.Fatal(err)
		}
		if want := latestEntry(t, what, as.Citations); !rev.EffectiveAt.Equal(want) {
			t.Errorf("%s takes effect at %s, want %s", what, rev.EffectiveAt.Format(time.RFC3339), want.Format(time.RFC3339))
		}
		for _, c := range rev.ChangeCitations {
			if !entryTimes[c.Locator].Equal(rev.EffectiveAt) {
				t.Errorf("%s cites the entry at %s for a change taking effect at %s", what, c.Locator, rev.EffectiveAt.Format(time.RFC3339))
			}
		}
		if r, err := d.store.Get(context.Background(), rev.ResourceType, rev.ResourceID); err != nil {
			t.Fatal(err)
		} else if sd := stated(r); sd != "2025-05-16" {
			t.Errorf("%s stated on %q", what, sd)
		}
	}
}

func stated(r domain.Resource) string {
	switch x := r.(type) {
	case *domain.Demand:
		return x.StatedOn
	case *domain.Objection:
		return x.StatedOn
	case *domain.Endorsement:
		return x.StatedOn
	}
	return ""
}

func demandTitles(s *domain.Snapshot) []string {
	var out []string
	for _, d := range s.Demands {
		out = append(out, d.Title)
	}
	sort.Strings(out)
	return out
}

// sanctionsDemands counts the demands the matrix shows on the sanctions topic.
func sanctionsDemands(t *testing.T, s *domain.Snapshot) int {
	t.Helper()
	m, err := domain.BuildMatrix(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range m.Topics {
		if tp.Title != "Sanctions" {
			continue
		}
		for _, ts := range m.TopicSummaries {
			if ts.TopicID == tp.ID {
				return ts.Demands
			}
		}
	}
	t.Fatal("the matrix has no sanctions topic")
	return 0
}

// TestAsOfBeforeZelenskysCall reads the talks at 11:45 UTC (07:45 EDT),
// before Zelensky spoke from Tirana at 08:13 EDT, and now.
func TestAsOfBeforeZelenskysCall(t *testing.T) {
	d := loadDemo(t)
	ctx := context.Background()
	before, err := d.store.Snapshot(ctx, d.id, domain.Moment{AsOf: time.Date(2025, 5, 16, 11, 45, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name                     string
		snap                     *domain.Snapshot
		demands                  []string
		objections, endorsements int
		sanctions                int
	}{
		{"as of 11:45 UTC", before, []string{
			"30-day ceasefire",
			"30-day ceasefire proposal",
			"A direct meeting between Presidents Trump and Putin",
			"Complete prisoner-of-war exchange",
			"Return of all abducted children",
		}, 2, 1, 0},
		{"latest", d.latest, []string{
			"30-day ceasefire proposal",
			"A direct meeting between Presidents Trump and Putin",
			"A meeting with Putin himself",
			"Complete prisoner-of-war exchange",
			"Immediate, unconditional 30-day ceasefire",
			"Return of all abducted children",
			"Sanctions against Russia's energy sector and banks if its peace efforts prove insincere",
		}, 2, 1, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := demandTitles(tc.snap); strings.Join(got, "\n") != strings.Join(tc.demands, "\n") {
				t.Errorf("demands:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.demands, "\n"))
			}
			if len(tc.snap.Objections) != tc.objections || len(tc.snap.Endorsements) != tc.endorsements {
				t.Errorf("%d objections and %d endorsements, want %d and %d",
					len(tc.snap.Objections), len(tc.snap.Endorsements), tc.objections, tc.endorsements)
			}
			if n := sanctionsDemands(t, tc.snap); n != tc.sanctions {
				t.Errorf("the matrix shows %d demands on sanctions, want %d", n, tc.sanctions)
			}
		})
	}
	for _, dm := range before.Demands {
		if dm.Title == "30-day ceasefire" && dm.Terms["unconditional"] != nil {
			t.Errorf("as of 11:45 the ceasefire demand is already unconditional: %v", dm.Terms)
		}
	}
}

// TestTheMorningsChanges reads what took effect between 11:00 and 13:00
// UTC: exactly the claims of the report's time-stamped entries, and the
// move of Ukraine's ceasefire demand at 08:13 EDT; nothing else.
func TestTheMorningsChanges(t *testing.T) {
	d := loadDemo(t)
	q := domain.ChangesQuery{NegotiationID: d.id, Limit: 3, // small pages prove the window holds across pages
		Since: time.Date(2025, 5, 16, 11, 0, 0, 0, time.UTC), Until: time.Date(2025, 5, 16, 13, 0, 0, 0, time.UTC)}
	got := map[string]bool{}
	perEntry := map[string]int{}
	for {
		page, err := d.store.Changes(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Items {
			got[fmt.Sprintf("%s %s %d", c.ResourceType, c.ResourceID, c.Revision.Revision)] = true
			perEntry[c.EffectiveAt.UTC().Format("15:04")+" "+string(c.Action)+" "+c.ResourceType.Singular()]++
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	want := map[string]bool{}
	for _, rev := range d.timeline {
		if !isClaim(rev.ResourceType) {
			continue
		}
		var as struct {
			Citations []domain.Citation `json:"citations"`
		}
		if err := json.Unmarshal(rev.Resource, &as); err != nil {
			t.Fatal(err)
		}
		for _, c := range as.Citations {
			if c.Locator != summary {
				want[fmt.Sprintf("%s %s %d", rev.ResourceType, rev.ResourceID, rev.Revision)] = true
			}
		}
	}
	for k := range want {
		if !got[k] {
			t.Errorf("missing from the morning's changes: %s", k)
		}
	}
	for k := range got {
		if !want[k] {
			t.Errorf("in the morning's changes but no claim of a time-stamped entry: %s", k)
		}
	}
	wantPerEntry := map[string]int{
		"11:29 create demand": 3, "11:29 create objection": 2,
		"11:42 create demand": 2, "11:42 create endorsement": 1,
		"11:57 create demand": 1,
		"12:13 create demand": 1, "12:13 update demand": 1,
	}
	if fmt.Sprint(perEntry) != fmt.Sprint(wantPerEntry) {
		t.Errorf("changes by entry %v, want %v", perEntry, wantPerEntry)
	}
}
