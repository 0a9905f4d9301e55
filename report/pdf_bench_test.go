package report

import (
	"io"
	"testing"
	"time"
)

// BenchmarkPDFFull is the full PDF of a COP-scale negotiation, grid
// included, with the report model built as a request builds it; the
// target is under 5 s.
func BenchmarkPDFFull(b *testing.B) {
	s := cop()
	for b.Loop() {
		r := Build(s, nil, time.Now())
		if err := Render(io.Discard, "pdf", r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPDFBrief is the brief of the same negotiation; the target is
// under 1 s.
func BenchmarkPDFBrief(b *testing.B) {
	s := cop()
	for b.Loop() {
		r := Build(s, nil, time.Now())
		if err := RenderLayout(io.Discard, "pdf", "brief", r); err != nil {
			b.Fatal(err)
		}
	}
}
