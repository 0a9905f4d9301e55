package report

import (
	"io"
	"syscall"
	"testing"
	"time"
)

// BenchmarkPDFFull is the full PDF of a COP-scale negotiation, grid
// included, with the report model built as a request builds it; the
// target is under 5 s.
func BenchmarkPDFFull(b *testing.B) {
	s := cop()
	cpu := startCPUClock(b)
	for b.Loop() {
		r := Build(s, nil, time.Now())
		if err := Render(io.Discard, "pdf", r); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report()
}

// BenchmarkPDFBrief is the brief of the same negotiation; the target is
// under 1 s.
func BenchmarkPDFBrief(b *testing.B) {
	s := cop()
	cpu := startCPUClock(b)
	for b.Loop() {
		r := Build(s, nil, time.Now())
		if err := RenderLayout(io.Discard, "pdf", "brief", r); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report()
}

// cpuClock reports the process's CPU time (user and system, from
// getrusage) per operation beside the wall time, which on a shared,
// loaded machine says more about the code than ns/op does.
type cpuClock struct {
	b     *testing.B
	start time.Duration
}

func startCPUClock(b *testing.B) cpuClock { return cpuClock{b, processCPU(b)} }

func (c cpuClock) report() {
	if c.b.N > 0 {
		c.b.ReportMetric((processCPU(c.b)-c.start).Seconds()/float64(c.b.N), "cpu-s/op")
	}
}

func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
