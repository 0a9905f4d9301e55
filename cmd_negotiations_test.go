package main

import (
	"context"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/domain/demo"
	"github.com/parley/parley/store"
)

// withSecondNegotiation adds a negotiation beside the demo one and returns
// its id.
func withSecondNegotiation(t *testing.T, db, title string) string {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n := &domain.Negotiation{Title: title, StartedOn: "2025-01-15"}
	if err := s.Create(ctx, "ana", n, domain.Dating{}); err != nil {
		t.Fatal(err)
	}
	return n.ID
}

func commonPrefix(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return a[:i]
}

func TestNegotiationsListsThem(t *testing.T) {
	db, id := withDemo(t)
	gaza := withSecondNegotiation(t, db, "Gaza ceasefire talks 2025")
	out := parley(t, "", "negotiations", "--db", db).mustSucceed(t).stdout
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "ID") || !strings.Contains(lines[0], "LAST CHANGE") {
		t.Fatalf("negotiations printed %q, want a header and two rows", out)
	}
	for i, want := range []string{id, gaza} {
		if !strings.HasPrefix(lines[i+1], want) {
			t.Errorf("row %d is %q, want it to start with %s", i+1, lines[i+1], want)
		}
	}
	if !strings.Contains(lines[1], demo.Title) || !strings.Contains(lines[1], "active") || !strings.Contains(lines[2], "Gaza ceasefire talks 2025") {
		t.Errorf("rows lack titles or status: %q", out)
	}
	parley(t, "", "negotiations", "extra", "--db", db).failsWith(t, 2, "unexpected argument")
}

func TestReportFindsTheNegotiationByTitleOrPrefix(t *testing.T) {
	db, id := withDemo(t)
	gaza := withSecondNegotiation(t, db, "Gaza ceasefire talks 2025")
	shared := commonPrefix(id, gaza)
	for _, name := range []string{id, strings.ToUpper(demo.Title), "  " + demo.Title + " ", id[:len(shared)+1]} {
		out := parley(t, "", "report", "--negotiation", name, "--format", "md", "--db", db).mustSucceed(t).stdout
		if !strings.Contains(out, demo.Title) || !strings.Contains(out, "Dolmabah") {
			t.Errorf("--negotiation %q: the markdown report is not the demo's: %.200q", name, out)
		}
	}
	// What would have worked is named: the titles and ids on file.
	parley(t, "", "report", "--negotiation", "Gaza", "--format", "md", "--db", db).failsWith(t, 1, `"Gaza ceasefire talks 2025" (`+gaza+`)`)
	parley(t, "", "report", "--negotiation", "Gaza", "--format", "md", "--db", db).failsWith(t, 1, demo.Title)
	if shared != "" {
		parley(t, "", "report", "--negotiation", shared, "--format", "md", "--db", db).failsWith(t, 1, "fits 2 negotiations")
	}
	parley(t, "", "report", "--negotiation", "Gaza", "--format", "docx", "--db", db).failsWith(t, 2, "md for markdown")
}

func TestReportNamesTheEmptyDatabase(t *testing.T) {
	db := t.TempDir() + "/empty.db"
	parley(t, "", "report", "--negotiation", "Gaza", "--format", "md", "--db", db).failsWith(t, 1, "parley serve --demo")
	out := parley(t, "", "negotiations", "--db", db).mustSucceed(t).stdout
	if !strings.Contains(out, "No negotiations yet") {
		t.Errorf("negotiations on an empty database printed %q", out)
	}
}
