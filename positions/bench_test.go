//go:build unix

package positions_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/positions"
	"github.com/parley/parley/store"
	"github.com/parley/parley/store/storetest"
)

// copScale is a negotiation the size of a UN climate conference: close to
// two hundred parties, fifty agenda items, a dozen rounds.
func copScale(tb testing.TB) (*store.Store, *domain.Snapshot) {
	tb.Helper()
	ctx := context.Background()
	s := storetest.Open(tb)
	neg := &domain.Negotiation{Title: "COP", StartedOn: "2025-11-10"}
	for i := 0; i < 198; i++ {
		p := &domain.Party{Name: fmt.Sprintf("Party %03d", i), Aliases: []string{fmt.Sprintf("P%03d", i)}}
		if err := s.Create(ctx, "bench", p, domain.Dating{}); err != nil {
			tb.Fatal(err)
		}
		neg.Participants = append(neg.Participants, domain.Participant{PartyID: p.ID, Role: "principal"})
	}
	if err := s.Create(ctx, "bench", neg, domain.Dating{}); err != nil {
		tb.Fatal(err)
	}
	for i := 0; i < 50; i++ {
		if err := s.Create(ctx, "bench", &domain.Topic{NegotiationID: neg.ID, Title: fmt.Sprintf("Agenda item %d", i)}, domain.Dating{}); err != nil {
			tb.Fatal(err)
		}
	}
	for i := 0; i < 12; i++ {
		if err := s.Create(ctx, "bench", &domain.Round{NegotiationID: neg.ID, Title: fmt.Sprintf("Session %d", i), StartsOn: "2025-11-10"}, domain.Dating{}); err != nil {
			tb.Fatal(err)
		}
	}
	snap, err := s.Snapshot(ctx, neg.ID, domain.Moment{})
	if err != nil {
		tb.Fatal(err)
	}
	return s, snap
}

// copFile is n demand rows, each with a term and a full citation.
func copFile(n int) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(positions.Columns(positions.SheetDemands, []string{"finance_usd_bn"}))
	for i := 0; i < n; i++ {
		_ = w.Write([]string{
			fmt.Sprintf("p%03d", i%198), fmt.Sprintf("agenda item %d", i%50), fmt.Sprintf("Position %d", i), "2025-11-12",
			"A position stated in plenary, as the bulletin reports it.", "tabled", "normal", fmt.Sprintf("Session %d", i%12), "", "",
			fmt.Sprint(100 + i%300),
			"Earth Negotiations Bulletin", "Summary of the conference", "https://enb.iisd.org/", "2025-11-13",
			"p. 4", "The party called for a new collective goal.", "A", "2",
		})
	}
	w.Flush()
	return buf.Bytes()
}

// BenchmarkImportCOPScale imports 12,000 demands with citations into a
// negotiation of 198 parties: reading the CSV, resolving every name in
// memory and writing every demand with its revision in one transaction.
func BenchmarkImportCOPScale(b *testing.B) {
	s, snap := copScale(b)
	data := copFile(12000)
	b.SetBytes(int64(len(data)))
	// The machine is shared: CPU seconds spent by this process say what
	// the import costs when wall time is mostly waiting for a core.
	before := cpuTime(b)
	b.ResetTimer()
	defer func() { b.ReportMetric((cpuTime(b)-before).Seconds()/float64(b.N), "cpu-s/op") }()
	for i := 0; i < b.N; i++ {
		wb, err := positions.ReadCSV(data)
		if err != nil {
			b.Fatal(err)
		}
		res, err := positions.Import(context.Background(), s, "bench", snap.Negotiation.ID, wb, false, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Errors) > 0 || res.Created["demands"] != 12000 {
			b.Fatalf("created %v, errors %v", res.Created, res.Errors[:min(3, len(res.Errors))])
		}
	}
}

// cpuTime is the user and system CPU time this process has used.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
