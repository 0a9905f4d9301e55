package positions_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/positions"
	"github.com/parley/parley/store/storetest"
)

// Two topics defining one key differently: the column is there once, its
// note tells both definitions, and no list of values is offered, as no
// one list fits both. A term only a demand states is a free column.
func TestTemplateTermsDefinedDifferently(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	ua := &domain.Party{Name: "Ukraine"}
	if err := s.Create(ctx, "test", ua, domain.Dating{}); err != nil {
		t.Fatal(err)
	}
	neg := &domain.Negotiation{Title: "Talks", StartedOn: "2025-05-16", Participants: []domain.Participant{{PartyID: ua.ID, Role: "principal"}}}
	if err := s.Create(ctx, "test", neg, domain.Dating{}); err != nil {
		t.Fatal(err)
	}
	topics := []*domain.Topic{
		{NegotiationID: neg.ID, Title: "Ceasefire", TermDefinitions: []domain.TermDefinition{
			{Key: "monitoring", Type: domain.TermTypeBoolean},
			{Key: "duration_days", Type: domain.TermTypeNumber, Unit: "days"}}},
		{NegotiationID: neg.ID, Title: "Withdrawal", TermDefinitions: []domain.TermDefinition{
			{Key: "monitoring", Type: domain.TermTypeChoice, Choices: []domain.Choice{{Key: "un", Label: "UN"}, {Key: "osce", Label: "OSCE"}}}}},
	}
	for _, tp := range topics {
		if err := s.Create(ctx, "test", tp, domain.Dating{}); err != nil {
			t.Fatal(err)
		}
	}
	d := &domain.Demand{NegotiationID: neg.ID, PartyID: ua.ID, TopicID: topics[1].ID, Title: "Withdraw", StatedOn: "2025-05-16",
		Terms: map[string]any{"km": 30.0}}
	if err := s.Create(ctx, "test", d, domain.Dating{}); err != nil {
		t.Fatal(err)
	}
	snap, err := s.Snapshot(ctx, neg.ID, domain.Moment{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(positions.TermKeys(snap), ","); got != "monitoring,duration_days,km" {
		t.Fatalf("term keys %s", got)
	}
	data, err := positions.TemplateXLSX(snap)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	header, _ := f.GetRows("demands")
	col := map[string]string{}
	for i, h := range header[0] {
		name, _ := excelize.ColumnNumberToName(i + 1)
		col[h] = name
	}
	comments, err := f.GetComments("demands")
	if err != nil {
		t.Fatal(err)
	}
	notes := map[string]string{}
	for _, c := range comments {
		for _, p := range c.Paragraph {
			notes[c.Cell] += p.Text
		}
	}
	monitoring := notes[col["term:monitoring"]+"1"]
	for _, want := range []string{`(boolean) on "Ceasefire": yes or no`, `(choice) on "Withdrawal": one of "UN", "OSCE"`} {
		if !strings.Contains(monitoring, want) {
			t.Errorf("the note on term:monitoring is %q; want %s", monitoring, want)
		}
	}
	if n := notes[col["term:km"]+"1"]; !strings.Contains(n, "free term") {
		t.Errorf("the note on term:km is %q", n)
	}
	dvs, err := f.GetDataValidations("demands")
	if err != nil {
		t.Fatal(err)
	}
	for _, dv := range dvs {
		if strings.HasPrefix(dv.Sqref, col["term:monitoring"]+"2:") {
			t.Errorf("a term defined two ways offers a list: %s", dv.Formula1)
		}
	}
	if csv := string(positions.TemplateCSV(snap)); !strings.Contains(csv, "term:monitoring,term:duration_days,term:km,") {
		t.Errorf("the CSV template: %s", csv)
	}
}
