package store_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
)

// writeOnFirstWrite is an export destination that, the first time the
// export flushes to it, commits a new party through the store: a write that
// lands while the export is half read.
type writeOnFirstWrite struct {
	t    *testing.T
	w    *world
	buf  bytes.Buffer
	done bool
}

func (d *writeOnFirstWrite) Write(p []byte) (int, error) {
	if !d.done {
		d.done = true
		mustCreate(d.t, d.w.s, &domain.Party{Name: "Latecomer"})
	}
	return d.buf.Write(p)
}

// TestExportReadsOneInstant checks that an export is one consistent
// instant even while others write: a party committed half way through is
// in none of its sections, neither in parties nor in revisions. On
// PostgreSQL this needs a REPEATABLE READ transaction; under READ
// COMMITTED each query sees what committed before it began.
func TestExportReadsOneInstant(t *testing.T) {
	w := newWorld(t)
	// Enough text that the export's 64 KiB buffer fills, and so reaches
	// the destination, while the parties are still being read.
	for _, name := range []string{"A", "B", "C", "D", "E"} {
		mustCreate(t, w.s, &domain.Party{Name: "Big " + name, Notes: strings.Repeat("n", domain.MaxText-1)})
	}
	dst := &writeOnFirstWrite{t: t, w: w}
	if err := w.s.Export(context.Background(), dst); err != nil {
		t.Fatal(err)
	}
	if !dst.done {
		t.Fatal("the export never reached its destination before finishing; the test proves nothing")
	}
	if out := dst.buf.String(); strings.Contains(out, "Latecomer") {
		t.Fatal("a party committed during the export is in it: the export saw two instants")
	}
}
