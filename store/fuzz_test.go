package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/domain/demo"
	"github.com/parley/parley/store"
	"github.com/parley/parley/store/storetest"
)

// FuzzCursor feeds random cursors, page sizes and search texts to every
// list. A cursor either decodes to an id that encodes back to itself or is
// refused as a validation error on "cursor"; a list either answers a page in
// id order after the cursor, no larger than allowed, or refuses with a
// validation error; nothing else, whatever the input.
func FuzzCursor(f *testing.F) {
	ctx := context.Background()
	s := storetest.Open(f)
	var ids []string
	for i := range 5 {
		p := &domain.Party{Name: fmt.Sprintf("Party %d", i), Aliases: []string{fmt.Sprintf("x_%%%d", i)}}
		if err := s.Create(ctx, actor, p, domain.Dating{}); err != nil {
			f.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	for _, c := range []string{
		"", domain.EncodeCursor(ids[0]), domain.EncodeCursor(ids[4]), domain.EncodeCursor(strings.ToUpper(ids[2])),
		domain.EncodeCursor("00000000-0000-0000-0000-000000000000"), domain.EncodeCursor("ffffffff-ffff-ffff-ffff-ffffffffffff"),
		domain.EncodeCursor("{" + ids[1] + "}"), domain.EncodeCursor(strings.ReplaceAll(ids[1], "-", "")),
		domain.EncodeCursor(ids[3] + "' OR 1=1 --"), domain.EncodeCursor(ids[3]) + "=", "AAAA", "%00", "====", "-_-_", "\xff",
	} {
		f.Add(c, 0, "")
		f.Add(c, 2, "party")
	}
	f.Add(domain.EncodeCursor(ids[1]), -1, `%_\`)
	f.Add("", store.MaxLimit+1, "x_%")
	f.Add("", 1<<62, "")

	f.Fuzz(func(t *testing.T, cursor string, limit int, text string) {
		after, err := domain.DecodeCursor(cursor)
		if err != nil {
			wantCursorError(t, err)
		} else if back, err := domain.DecodeCursor(domain.EncodeCursor(after)); err != nil || back != after {
			t.Fatalf("cursor %q -> %q does not encode back: %q, %v", cursor, after, back, err)
		}
		for _, k := range domain.Kinds {
			page, err := s.List(ctx, domain.ListQuery{Kind: k, Cursor: cursor, Limit: limit, Text: text})
			if err != nil {
				if after != "" || cursor == "" {
					t.Fatalf("list %s with a good cursor %q: %v", k, cursor, err)
				}
				wantCursorError(t, err)
				continue
			}
			max := limit
			if max <= 0 {
				max = store.DefaultLimit
			}
			if max > store.MaxLimit {
				max = store.MaxLimit
			}
			if len(page.Items) > max {
				t.Fatalf("list %s, limit %d: %d items", k, limit, len(page.Items))
			}
			prev := after
			for _, r := range page.Items {
				if id := r.Base().ID; id <= prev {
					t.Fatalf("list %s after %q: id %s out of order (after %q)", k, cursor, id, prev)
				}
				prev = r.Base().ID
			}
			if page.NextCursor != "" {
				if next, err := domain.DecodeCursor(page.NextCursor); err != nil || next != prev {
					t.Fatalf("list %s: next cursor %q does not continue after %s: %v", k, page.NextCursor, prev, err)
				}
			}
		}
	})
}

// wantCursorError fails unless err is the validation error on "cursor".
func wantCursorError(t *testing.T, err error) {
	t.Helper()
	var inv *domain.ValidationError
	if !errors.As(err, &inv) || len(inv.Errors) != 1 || inv.Errors[0].Field != "cursor" {
		t.Fatalf("a bad cursor gave %v, want a validation error on cursor", err)
	}
}

// scratchDBs opens empty SQLite databases for FuzzImport in a directory of
// its own: a fuzz iteration's t would close a database it opened when the
// iteration ends, and its t.TempDir() holds a '#' that store.Open refuses.
type scratchDBs struct {
	dir string
	n   int
}

// open returns a migrated, empty database and the function that discards it.
func (sc *scratchDBs) open(tb testing.TB) (*store.Store, func()) {
	tb.Helper()
	sc.n++
	file := filepath.Join(sc.dir, fmt.Sprintf("import-%d.db", sc.n))
	ctx := context.Background()
	s, err := store.Open(ctx, file, store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	return s, func() {
		_ = s.Close()
		for _, suffix := range []string{"", "-wal", "-shm"} {
			_ = os.Remove(file + suffix)
		}
	}
}

// exportOf is the store's export document.
func exportOf(tb testing.TB, s *store.Store) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := s.Export(context.Background(), &buf); err != nil {
		tb.Fatalf("export: %v", err)
	}
	return buf.Bytes()
}

// FuzzImport loads random documents into an empty database. Each is either
// refused, leaving the database empty and importable, or imported whole;
// then its export reads the same twice and imports into another empty
// database, whose export is the same again.
func FuzzImport(f *testing.F) {
	ctx := context.Background()
	source := storetest.Open(f)
	empty := exportOf(f, source)
	// A small document: one user, one party, its history.
	party := &domain.Party{Name: "Ukraine", Aliases: []string{"UA"}}
	if err := source.Create(ctx, actor, party, domain.Dating{}); err != nil {
		f.Fatal(err)
	}
	storetest.User(f, source, "editor")
	small := string(exportOf(f, source))
	// A full one: the demo negotiation with every kind of resource.
	if _, _, err := demo.Load(ctx, source, actor); err != nil {
		f.Fatal(err)
	}
	full := string(exportOf(f, source))

	header := `{"format":"parley-export","version":1`
	for _, doc := range []string{
		string(empty), small, full, header + "}", header + `,"users":null,"parties":null}`,
		strings.Replace(small, `"version":1`, `"version":2`, 1), small[:len(small)/2], small + " ",
		strings.Replace(small, `"name":"Ukraine"`, `"name":""`, 1),
		strings.Replace(small, `"name":"Ukraine"`, `"name":"Ukraine","name":"Russia"`, 1),
		strings.Replace(small, `"role":"editor"`, `"role":"root"`, 1),
		strings.Replace(small, `"action":"create"`, `"action":"erase"`, 1),
		strings.Replace(small, `"revision":1`, `"revision":0`, 1),
		strings.Replace(small, `"created_at":"`, `"created_at":"9999-12-31T23:59:59-23:59","x":"`, 1),
		strings.Replace(full, `"revisions":[`, `"revisions":[{"resource_type":"parties","resource_id":"`+party.ID+`","revision":9,"action":"update","actor":"","at":"2025-05-16T00:00:00Z","negotiation_id":"nowhere","resource":{}},`, 1),
		header + `,"parties":[{"id":"` + party.ID + `","name":"A","created_at":"2025-05-16T00:00:00Z","updated_at":"2025-05-16T00:00:00Z","version":1},` +
			`{"id":"` + party.ID + `","name":"B","created_at":"2025-05-16T00:00:00Z","updated_at":"2025-05-16T00:00:00Z","version":1}]}`,
		header + `,"parties":[{"id":"` + party.ID + `","name":"A","created_at":"0000-01-01T00:00:00+23:59","updated_at":"2025-05-16T00:00:00Z","version":1}]}`,
	} {
		f.Add([]byte(doc))
	}

	dir, err := os.MkdirTemp("", "parley-fuzz-import-")
	if err != nil {
		f.Fatal(err)
	}
	dbs := &scratchDBs{dir: dir}
	// One database serves every refused document; an import that leaves
	// data has it replaced by a new one.
	target, discard := dbs.open(f)
	f.Cleanup(func() {
		discard()
		_ = os.RemoveAll(dir)
	})

	f.Fuzz(func(t *testing.T, doc []byte) {
		s := target
		err := s.Import(ctx, bytes.NewReader(doc))
		got := exportOf(t, s)
		if err != nil {
			if errors.Is(err, store.ErrNotEmpty) {
				t.Fatalf("an empty database refused as not empty")
			}
			if !bytes.Equal(got, empty) {
				t.Fatalf("a refused import (%v) left data behind:\n%s", err, got)
			}
			return
		}
		if bytes.Equal(got, empty) {
			return // an empty document: the database is still empty and reusable
		}
		// The next document needs an empty database, even when a check below fails.
		defer func() {
			discard()
			target, discard = dbs.open(t)
		}()
		if again := exportOf(t, s); !bytes.Equal(again, got) {
			t.Fatalf("two exports of one import differ:\n%s\n---\n%s", got, again)
		}
		copyOf, discardCopy := dbs.open(t)
		defer discardCopy()
		if err := copyOf.Import(ctx, bytes.NewReader(got)); err != nil {
			t.Fatalf("the export of an imported document does not import: %v\n%s", err, got)
		}
		if again := exportOf(t, copyOf); !bytes.Equal(again, got) {
			t.Fatalf("export, import, export differs:\n%s\n---\n%s", got, again)
		}
	})
}
