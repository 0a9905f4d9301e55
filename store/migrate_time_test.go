package store

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parley/parley/domain"
)

// TestMigrationDatesAnExistingDatabase writes a negotiation the way parley
// stored it before negotiation time, then migrates: each create takes
// effect on its own date (a delegation its round's, a topic its
// negotiation's), later revisions at their record time, and every stored
// body learns its effective_at.
func TestMigrationDatesAnExistingDatabase(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "old.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.migrateTo(ctx, "0002_revisions_negotiation_resource"); err != nil {
		t.Fatal(err)
	}
	recorded := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	later := recorded.Add(24 * time.Hour)
	const (
		negID    = "0196d2a4-0000-7000-8000-000000000001"
		roundID  = "0196d2a4-0000-7000-8000-000000000002"
		delegID  = "0196d2a4-0000-7000-8000-000000000003"
		topicID  = "0196d2a4-0000-7000-8000-000000000004"
		demandID = "0196d2a4-0000-7000-8000-000000000005"
		partyID  = "0196d2a4-0000-7000-8000-000000000006"
	)
	old := func(v string) string { return strings.ReplaceAll(v, `"effective_at":"0001-01-01T00:00:00Z",`, "") }
	rows := []struct {
		table, cols string
		args        []any
	}{
		{"parties", "id, version, created_at, updated_at, name_key, search, body", []any{partyID, 1, recorded, recorded, "hamas", "hamas",
			old(`{"id":"` + partyID + `","created_at":"2026-11-01T09:00:00Z","updated_at":"2026-11-01T09:00:00Z","version":1,"effective_at":"0001-01-01T00:00:00Z","name":"Hamas","short_name":"","aliases":[],"kind":"armed_group","notes":""}`)}},
		{"negotiations", "id, version, created_at, updated_at, status, search, body", []any{negID, 1, recorded, recorded, "active", "gaza",
			old(`{"id":"` + negID + `","created_at":"2026-11-01T09:00:00Z","updated_at":"2026-11-01T09:00:00Z","version":1,"effective_at":"0001-01-01T00:00:00Z","title":"Gaza","description":"","status":"active","started_on":"2025-01-06","participants":[{"party_id":"` + partyID + `","role":"principal"}]}`)}},
		{"rounds", "id, version, created_at, updated_at, negotiation_id, search, body", []any{roundID, 1, recorded, recorded, negID, "doha",
			old(`{"id":"` + roundID + `","created_at":"2026-11-01T09:00:00Z","updated_at":"2026-11-01T09:00:00Z","version":1,"effective_at":"0001-01-01T00:00:00Z","negotiation_id":"` + negID + `","title":"Doha","starts_on":"2025-01-07","ends_on":"","location":"","venue":"","format":"mediated","host_party_id":"","summary":""}`)}},
		{"delegations", "id, version, created_at, updated_at, round_id, party_id, negotiation_id, search, body", []any{delegID, 1, recorded, recorded, roundID, partyID, negID, "",
			old(`{"id":"` + delegID + `","created_at":"2026-11-01T09:00:00Z","updated_at":"2026-11-01T09:00:00Z","version":1,"effective_at":"0001-01-01T00:00:00Z","round_id":"` + roundID + `","party_id":"` + partyID + `","head_name":"","head_title":"","level":"technical","members":[],"notes":"","negotiation_id":"` + negID + `"}`)}},
		{"topics", "id, version, created_at, updated_at, negotiation_id, title_key, search, body", []any{topicID, 1, recorded, recorded, negID, "buffer zone", "buffer zone",
			old(`{"id":"` + topicID + `","created_at":"2026-11-01T09:00:00Z","updated_at":"2026-11-01T09:00:00Z","version":1,"effective_at":"0001-01-01T00:00:00Z","negotiation_id":"` + negID + `","title":"Buffer zone","description":"","sort_order":0}`)}},
	}
	demand := func(version int, at time.Time, metres int) string {
		return `{"id":"` + demandID + `","created_at":"2026-11-01T09:00:00Z","updated_at":"` + at.Format(time.RFC3339) + `","version":` + itoa(version) +
			`,"negotiation_id":"` + negID + `","party_id":"` + partyID + `","topic_id":"` + topicID + `","title":"Buffer zone","details":"","terms":{"buffer_zone_m":` + itoa(metres) +
			`},"status":"tabled","priority":"normal","stated_on":"2025-01-07","round_id":"","citations":[]}`
	}
	rows = append(rows, struct {
		table, cols string
		args        []any
	}{"demands", "id, version, created_at, updated_at, negotiation_id, party_id, topic_id, status, search, body",
		[]any{demandID, 2, recorded, later, negID, partyID, topicID, "tabled", "buffer zone", demand(2, later, 700)}})
	for _, r := range rows {
		q := "INSERT INTO " + r.table + " (" + r.cols + ") VALUES (" + placeholders(len(r.args)) + ")"
		if err := s.w.Exec(q, r.args...).Error; err != nil {
			t.Fatalf("%s: %v", r.table, err)
		}
		kind := domain.Kind(r.table)
		neg := negID
		if kind == domain.KindParty {
			neg = ""
		}
		body := r.args[len(r.args)-1].(string)
		if kind == domain.KindDemand {
			body = demand(1, recorded, 1000)
		}
		if err := s.w.Exec("INSERT INTO revisions (resource_type, resource_id, revision, action, actor, at, negotiation_id, body) VALUES (?, ?, 1, 'create', 'analyst', ?, ?, ?)",
			r.table, r.args[0], recorded, nullable(neg), body).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := s.w.Exec("INSERT INTO revisions (resource_type, resource_id, revision, action, actor, at, negotiation_id, body) VALUES ('demands', ?, 2, 'update', 'analyst', ?, ?, ?)",
		demandID, later, negID, demand(2, later, 700)).Error; err != nil {
		t.Fatal(err)
	}

	applied, err := s.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) == 0 || applied[0] != "0003_negotiation_time" {
		t.Fatalf("applied %v", applied)
	}
	want := map[string]time.Time{
		"negotiations 1": time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC),
		"rounds 1":       time.Date(2025, 1, 7, 0, 0, 0, 0, time.UTC),
		"delegations 1":  time.Date(2025, 1, 7, 0, 0, 0, 0, time.UTC),
		"topics 1":       time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC),
		"demands 1":      time.Date(2025, 1, 7, 0, 0, 0, 0, time.UTC),
		"demands 2":      later,
		"parties 1":      recorded,
	}
	for _, k := range domain.Kinds {
		revs, err := s.History(ctx, k, map[domain.Kind]string{domain.KindParty: partyID, domain.KindNegotiation: negID, domain.KindRound: roundID,
			domain.KindDelegation: delegID, domain.KindTopic: topicID, domain.KindDemand: demandID}[k])
		if k == domain.KindObjection || k == domain.KindRebuttal || k == domain.KindEndorsement {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range revs {
			key := string(k) + " " + itoa(r.Revision)
			if !r.EffectiveAt.Equal(want[key]) {
				t.Errorf("%s took effect %v, want %v", key, r.EffectiveAt, want[key])
			}
			if !strings.Contains(string(r.Resource), `"effective_at":"`+want[key].Format(time.RFC3339)) {
				t.Errorf("%s body lacks its effective_at: %s", key, r.Resource)
			}
		}
	}
	cur, err := s.Get(ctx, domain.KindDemand, demandID)
	if err != nil {
		t.Fatal(err)
	}
	if !cur.Base().EffectiveAt.Equal(later) {
		t.Errorf("the stored demand took effect %v, want %v", cur.Base().EffectiveAt, later)
	}
	snap, err := s.Snapshot(ctx, negID, domain.Moment{AsOf: time.Date(2025, 1, 11, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Demands) != 1 || snap.Demands[0].Terms["buffer_zone_m"] != float64(1000) || len(snap.Delegations) != 1 {
		t.Errorf("as of 11 Jan 2025: %d demands, %d delegations", len(snap.Demands), len(snap.Delegations))
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
