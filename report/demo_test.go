package report

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/domain/demo"
	"github.com/parley/parley/store/storetest"
)

// TestDemoGolden renders the demo negotiation, loaded through a real store,
// in the text formats and compares them with the golden files (ids, which
// the store picks afresh, are normalized).
func TestDemoGolden(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	id, _, err := demo.Load(ctx, st, "demo")
	if err != nil {
		t.Fatal(err)
	}
	snap, err := st.Snapshot(ctx, id, domain.Moment{AsOf: time.Time{}})
	if err != nil {
		t.Fatal(err)
	}
	// The present state with a fixed generation time and no changes section,
	// so that the report prints no instant the store chose.
	r := Build(snap, nil, fixtureGenerated)
	for _, tt := range []struct{ format, file string }{
		{"markdown", "demo.md"}, {"html", "demo.html"}, {"csv", "demo.csv"}, {"json", "demo.json"},
	} {
		t.Run(tt.format, func(t *testing.T) {
			checkGolden(t, tt.file, normalize(render(t, tt.format, r)))
		})
	}
	md := string(render(t, "markdown", r))
	for _, want := range []string{"Rustem Umerov", "Dolmabahçe", "The principals' delegations differ in level"} {
		if !strings.Contains(md, want) {
			t.Errorf("the demo report lacks %q", want)
		}
	}
}
