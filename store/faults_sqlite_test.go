package store_test

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/store"
	"github.com/parley/parley/store/storetest"
)

// TestStorageFullSQLite fills a SQLite database (PRAGMA max_page_count, as a
// full disk would) under a load of reads and writes through the real router:
// writes answer 507 naming the cause, reads keep answering 200, /readyz says
// so, the log says it once and /metrics counts it; when the limit is raised
// the database is ready again without a write from outside, writes resume,
// integrity_check is ok and every acknowledged write is there.
func TestStorageFullSQLite(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "parley.db")
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	user, token := storetest.User(t, s, "editor")
	fs := newFaultServer(t, s, user, token)
	browser := fs.signIn(t)

	seed := fs.do(http.MethodPost, "/api/v1/parties", map[string]any{"name": "Seeded before the disk filled"})
	if seed.status != http.StatusCreated {
		t.Fatalf("seed: %d", seed.status)
	}
	pages, err := store.PageCount(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.SetMaxPageCount(ctx, s, pages+2); err != nil {
		t.Fatal(err)
	}

	// Writers fill the two pages left and go on writing into a full
	// database; the load is bounded in requests and in time.
	stop := make(chan struct{})
	time.AfterFunc(4*time.Second, func() { close(stop) })
	reads := []string{"/api/v1/parties?limit=5", "/api/v1/parties/" + seed.id, "/api/v1/parties/" + seed.id + "/history"}
	answers := fs.load("full", reads, 2, 3, 300, stop)
	checkAnswers(t, answers, http.StatusInsufficientStorage, string(domain.FaultStorageFull))
	n := count(answers)
	t.Logf("disk full: %d requests (%d reads, %d writes): %d created, %d answered 507, %d reads answered 200",
		n.requests, n.reads, n.writes, n.byStatus[http.StatusCreated], n.byStatus[http.StatusInsufficientStorage], n.byStatus[http.StatusOK])
	if n.byStatus[http.StatusInsufficientStorage] == 0 {
		t.Fatal("the database never filled up: no write answered 507")
	}
	for _, a := range answers {
		if !a.write && a.status != http.StatusOK {
			t.Errorf("a read answered %d while the disk was full", a.status)
		}
		if a.status == http.StatusInsufficientStorage && a.retryAfter != "60" {
			t.Errorf("507 with Retry-After %q", a.retryAfter)
		}
	}

	ready := fs.do(http.MethodGet, "/readyz", nil)
	if ready.status != http.StatusServiceUnavailable || !strings.HasSuffix(ready.problem, "/storage-full") {
		t.Errorf("/readyz while full: %d %q, want 503 naming storage-full", ready.status, ready.problem)
	}
	if v := fs.metric(t, `parley_db_errors_total{cause="storage-full"}`); v < float64(n.byStatus[http.StatusInsufficientStorage]) {
		t.Errorf("parley_db_errors_total{cause=\"storage-full\"} = %v, want at least the %d answers 507", v, n.byStatus[http.StatusInsufficientStorage])
	}
	logged := fs.log.lines("database storage full")
	if len(logged) != 1 {
		t.Errorf("the full disk was logged %d times in under a minute, want once", len(logged))
	} else if logged[0]["database"] != path || logged[0]["free_bytes"] == nil {
		t.Errorf("the log line names %v with %v bytes free, want the path %s and its free space", logged[0]["database"], logged[0]["free_bytes"], path)
	}
	if errs := fs.log.lines("request failed"); len(errs) > 0 {
		t.Errorf("%d requests were logged as internal errors, the first: %v", len(errs), errs[0])
	}

	// A form sent while the database is full comes back with what was typed.
	status, header, page := browser.postForm(t, fs.url+"/parties/new", url.Values{"name": {"Typed while the disk was full"}, "notes": {"kept for the user"}})
	if status != http.StatusInsufficientStorage || !strings.Contains(page, "The database is full") ||
		!strings.Contains(page, `value="Typed while the disk was full"`) || !strings.Contains(page, "kept for the user") {
		t.Errorf("the form sent while full: %d (Retry-After %q), want 507 with the form and its input; page:\n%s", status, header.Get("Retry-After"), page)
	}

	// Space comes back: /readyz finds out by itself (its probe write), then
	// writes succeed again.
	if _, err := store.SetMaxPageCount(ctx, s, 1<<30); err != nil {
		t.Fatal(err)
	}
	raised := time.Now()
	for fs.do(http.MethodGet, "/readyz", nil).status != http.StatusOK {
		if time.Since(raised) > 8*time.Second {
			t.Fatal("/readyz still not ready 8 s after space came back")
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("ready again %v after the limit was raised", time.Since(raised).Round(time.Millisecond))
	if a := fs.do(http.MethodPost, "/api/v1/parties", map[string]any{"name": "Written after space came back"}); a.status != http.StatusCreated {
		t.Errorf("write after recovery: %d %q", a.status, a.problem)
	} else {
		n.acked = append(n.acked, a.id)
	}

	if err := s.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
	found, err := s.GetMany(ctx, domain.KindParty, append(n.acked, seed.id))
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != len(n.acked)+1 {
		t.Errorf("%d of %d acknowledged writes are in the database", len(found), len(n.acked)+1)
	}
}
