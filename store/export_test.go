package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/store"
	"github.com/parley/parley/store/storetest"
)

// richWorld adds every kind of resource, edits, deletes and users to a
// world, including text that JSON would escape.
func richWorld(t *testing.T) *world {
	t.Helper()
	w := newWorld(t)
	ctx := context.Background()
	mustCreate(t, w.s, &domain.Delegation{RoundID: w.round.ID, PartyID: w.ua.ID, HeadName: "Rustem Umerov", Members: []domain.Member{{Name: "Kyslytsya"}}})
	obj := mustCreate(t, w.s, &domain.Objection{DemandID: w.demand.ID, PartyID: w.ru.ID, Grounds: "<rest> & \"recruit\" — перемирие", StatedOn: "2025-05-16",
		Citations: []domain.Citation{{Publisher: "Newsweek", URL: "https://www.newsweek.com/live", Locator: "08:13 AM EDT", Reliability: "B", Credibility: "2"}}})
	mustCreate(t, w.s, &domain.Endorsement{DemandID: w.demand.ID, PartyID: w.us.ID, StatedOn: "2025-05-16"})
	mustCreate(t, w.s, &domain.Rebuttal{ObjectionID: obj.ID, PartyID: w.ua.ID, Grounds: "a truce is not rearmament <b>", StatedOn: "2025-05-16", Handling: "TLP:RED",
		Citations: []domain.Citation{{Title: "Kyiv answers", Reliability: "B", Credibility: "2"}}})
	resolved := domain.Dating{EffectiveAt: time.Date(2025, 5, 16, 12, 13, 0, 0, time.UTC), Note: "resolved «at once»",
		Citations: []domain.Citation{{Publisher: "Newsweek", Title: "Live updates", Locator: "08:13 AM EDT", Quote: "“quoted”"}}}
	if _, err := w.s.Update(ctx, actor, domain.KindObjection, obj.ID, 0, resolved, func(r domain.Resource) (domain.Resource, error) {
		r.(*domain.Objection).State = "resolved"
		return r, nil
	}); err != nil {
		t.Fatal(err)
	}
	gone := w.newDemand(t, w.ru, "withdrawn later")
	if err := w.s.Delete(ctx, actor, domain.KindDemand, gone.ID, 0); err != nil {
		t.Fatal(err)
	}
	storetest.User(t, w.s, "admin")
	storetest.User(t, w.s, "viewer")
	return w
}

func export(t *testing.T, s *store.Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := s.Export(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestExportImportRoundTrip(t *testing.T) {
	w := richWorld(t)
	ctx := context.Background()
	first := export(t, w.s)
	for _, want := range []string{`"format":"parley-export"`, `"version":4`, `"username":"admin-`, `"rebuttals":[`, `a truce is not rearmament`, `перемирие`, `<rest> & `, `"action":"delete"`,
		`"effective_at":"2025-05-16T12:13:00.000000Z"`, `"change_note":"resolved «at once»"`, `"quote":"“quoted”"`} {
		if !bytes.Contains(first, []byte(want)) {
			t.Errorf("export lacks %s", want)
		}
	}
	for _, secret := range []string{"password", "token", "$2a$"} {
		if bytes.Contains(first, []byte(secret)) {
			t.Errorf("export holds %q", secret)
		}
	}

	fresh := storetest.Open(t)
	if err := fresh.Import(ctx, bytes.NewReader(first)); err != nil {
		t.Fatal(err)
	}
	second := export(t, fresh)
	if !bytes.Equal(first, second) {
		t.Fatalf("export after import differs:\n%s\n---\n%s", first, second)
	}
	// What was imported works as stored data: the snapshot matches and the
	// history goes on.
	a, _ := w.s.Snapshot(ctx, w.neg.ID, domain.Moment{AsOf: timeZero})
	b, err := fresh.Snapshot(ctx, w.neg.ID, domain.Moment{AsOf: timeZero})
	if err != nil || jsonOf(a) != jsonOf(b) {
		t.Fatalf("snapshots differ after import: %v", err)
	}
	if _, err := fresh.Update(ctx, actor, domain.KindDemand, w.demand.ID, 1, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) {
		r.(*domain.Demand).Details = "after import"
		return r, nil
	}); err != nil {
		t.Fatal(err)
	}
	if hist, _ := fresh.History(ctx, domain.KindDemand, w.demand.ID); len(hist) != 2 {
		t.Fatalf("history after import has %d revisions", len(hist))
	}
	if n, _ := fresh.CountUsers(ctx); n != 2 {
		t.Fatalf("%d users imported", n)
	}
}

func TestImportRefuses(t *testing.T) {
	w := richWorld(t)
	ctx := context.Background()
	doc := export(t, w.s)
	cases := []struct {
		name string
		into func(t testing.TB) *store.Store
		doc  string
		want string
	}{
		{"non-empty database", func(testing.TB) *store.Store { return w.s }, string(doc), "not empty"},
		{"users only", func(t testing.TB) *store.Store {
			s := storetest.Open(t)
			storetest.User(t, s, "admin")
			return s
		}, string(doc), "not empty"},
		{"not json", storetest.Open, "hello", "not a parley export"},
		{"other format", storetest.Open, `{"format":"other","version":1}`, "not a parley export"},
		{"newer version", storetest.Open, `{"format":"parley-export","version":5}`, "version 5"},
		{"rebuttals in a version 3 export", storetest.Open, strings.Replace(string(doc), `"version":4`, `"version":3`, 1), "rebuttals need export version 4"},
		{"unknown field", storetest.Open, `{"format":"parley-export","version":1,"extra":1}`, "not a parley export"},
		{"trailing data", storetest.Open, string(doc) + "{}", "after the document"},
		{"misplaced section", storetest.Open, strings.Replace(string(doc), `"parties":[`, `"parties":[],"x":[`, 1), "not a parley export"},
		{"dangling reference", storetest.Open, withoutSection(string(doc), "parties"), "not in the document"},
		{"bad revision", storetest.Open, strings.Replace(string(doc), `"action":"delete"`, `"action":"erase"`, 1), "action"},
		{"invalid resource", storetest.Open, strings.Replace(string(doc), `"stated_on":"2025-05-16"`, `"stated_on":"May"`, 1), "stated_on"},
		{"missing party", storetest.Open, strings.Replace(string(doc), `"parties":[`, `"parties":[`+"\n"+`{"id":"0196f3a0-0000-7000-8000-00000000000x"}`+",", 1), "parties[0]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.into(t)
			before := export(t, s)
			err := s.Import(ctx, strings.NewReader(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
			if after := export(t, s); !bytes.Equal(before, after) {
				t.Fatal("a refused import changed the database")
			}
		})
	}
	// A refused import into an empty database leaves it importable.
	s := storetest.Open(t)
	if err := s.Import(ctx, strings.NewReader(strings.Replace(string(doc), `"action":"delete"`, `"action":"erase"`, 1))); err == nil {
		t.Fatal("bad document imported")
	}
	if err := s.Import(ctx, bytes.NewReader(doc)); err != nil {
		t.Fatalf("import after a refused one: %v", err)
	}
	if !errors.Is(w.s.Import(ctx, bytes.NewReader(doc)), store.ErrNotEmpty) {
		t.Fatal("non-empty import is not ErrNotEmpty")
	}
}

func TestBackupWhileWriting(t *testing.T) {
	if os.Getenv(storetest.EnvDatabaseURL) != "" {
		s := storetest.Open(t)
		if err := s.Backup(context.Background(), filepath.Join(t.TempDir(), "b.db")); err == nil {
			t.Fatal("backup of postgres succeeded")
		}
		return
	}
	w := newWorld(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := w.s.Create(ctx, actor, &domain.Party{Name: fmt.Sprintf("party %d", i)}, domain.Dating{}); err != nil {
				t.Errorf("write during backup: %v", err)
				return
			}
		}
	}()
	path := filepath.Join(t.TempDir(), "backup.db")
	err := w.s.Backup(ctx, path)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if err := w.s.Backup(ctx, path); err == nil {
		t.Fatal("backup over an existing file succeeded")
	}
	b, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	if applied, err := b.Migrate(ctx); err != nil || len(applied) != 0 {
		t.Fatalf("backup needs migrations %v: %v", applied, err)
	}
	// Consistent: every party in the copy has its create revision, and
	// the other way round.
	page, err := b.List(ctx, domain.ListQuery{Kind: domain.KindParty, Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range page.Items {
		if _, err := b.History(ctx, domain.KindParty, p.Base().ID); err != nil {
			t.Fatalf("party without history in the backup: %v", err)
		}
	}
	var buf bytes.Buffer
	if err := b.Export(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(buf.String(), `"resource_type":"parties"`); got != len(page.Items) && page.NextCursor == "" {
		t.Fatalf("%d party revisions for %d parties", got, len(page.Items))
	}
}

var timeZero time.Time

// withoutSection empties one array of an export document.
func withoutSection(doc, name string) string {
	start := strings.Index(doc, `"`+name+`":[`) + len(name) + 4
	end := start + strings.Index(doc[start:], "\n]")
	return doc[:start] + doc[end+1:]
}

// TestImportUndatedExport loads an export written before negotiation time
// (version 1: no effective_at anywhere) and dates it as the migration
// dates a database: a create on the resource's own date, a later revision
// at its record time.
func TestImportUndatedExport(t *testing.T) {
	w := richWorld(t)
	ctx := context.Background()
	undated := undate(t, export(t, w.s))
	fresh := storetest.Open(t)
	if err := fresh.Import(ctx, bytes.NewReader(undated)); err != nil {
		t.Fatal(err)
	}
	hist, err := fresh.History(ctx, domain.KindDemand, w.demand.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := hist[0].EffectiveAt; !got.Equal(time.Date(2025, 5, 16, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("the demand's create took effect %v, want its stated_on", got)
	}
	d, err := fresh.Get(ctx, domain.KindDemand, w.demand.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Base().EffectiveAt.Equal(hist[len(hist)-1].EffectiveAt) {
		t.Errorf("the stored demand took effect %v, its last revision %v", d.Base().EffectiveAt, hist[len(hist)-1].EffectiveAt)
	}
	dels, err := fresh.History(ctx, domain.KindDelegation, firstID(t, fresh, domain.KindDelegation))
	if err != nil {
		t.Fatal(err)
	}
	if got := dels[0].EffectiveAt; !got.Equal(time.Date(2025, 5, 16, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("the delegation took effect %v, want its round's starts_on", got)
	}
	snap, err := fresh.Snapshot(ctx, w.neg.ID, domain.Moment{AsOf: time.Date(2025, 5, 16, 23, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Demands) != 1 || len(snap.Delegations) != 1 {
		t.Errorf("as of 16 May: %+v", summarize(snap))
	}
	// Once dated, it exports as the current version and round-trips from
	// there on.
	again := export(t, fresh)
	if !bytes.Contains(again, []byte(`"version":4`)) {
		t.Error("the dated database does not export as version 2")
	}
}

// undate rewrites a version 2 export as version 1 would have written it.
func undate(t *testing.T, doc []byte) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	m["version"] = 1
	// Version 1 knew no rebuttals.
	delete(m, string(domain.KindRebuttal))
	var revs []any
	for _, r := range m["revisions"].([]any) {
		if r.(map[string]any)["resource_type"] != string(domain.KindRebuttal) {
			revs = append(revs, r)
		}
	}
	m["revisions"] = revs
	strip := func(v any) {
		if o, ok := v.(map[string]any); ok {
			delete(o, "effective_at")
		}
	}
	for _, k := range domain.Kinds {
		rs, _ := m[string(k)].([]any)
		for _, r := range rs {
			strip(r)
		}
	}
	for _, r := range m["revisions"].([]any) {
		rev := r.(map[string]any)
		for _, f := range []string{"effective_at", "change_note", "change_citations"} {
			delete(rev, f)
		}
		strip(rev["resource"])
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func firstID(t *testing.T, s *store.Store, k domain.Kind) string {
	t.Helper()
	page, err := s.List(context.Background(), domain.ListQuery{Kind: k, Limit: 1})
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("no %s: %v", k, err)
	}
	return page.Items[0].Base().ID
}
