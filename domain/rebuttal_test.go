package domain

import (
	"strings"
	"testing"
)

const (
	fxRebUA  = "00000000-0000-4000-8000-0000000000f8"
	fxRebUS  = "00000000-0000-4000-8000-0000000000f9"
	fxObjRU  = "00000000-0000-4000-8000-0000000000f1"
	fxRedObj = "00000000-0000-4000-8000-0000000000fa"
)

// rebuttalSnapshot is the shared fixture with Ukraine's and the United
// States' answers to Russia's objection to the 30-day ceasefire.
func rebuttalSnapshot() *Snapshot {
	s := fixtureSnapshot()
	s.Rebuttals = []*Rebuttal{
		{Meta: Meta{ID: fxRebUS, Version: 1}, ObjectionID: fxObjRU, PartyID: fxUS, Grounds: "A truce is the first step to talks", StatedOn: "2025-05-17", NegotiationID: fxNeg},
		{Meta: Meta{ID: fxRebUA, Version: 1}, ObjectionID: fxObjRU, PartyID: fxUA, Grounds: "A ceasefire stops the killing", StatedOn: "2025-05-16", NegotiationID: fxNeg,
			Citations: []Citation{fxCite("https://example.org/ua", "Kyiv answers", "B", "2")}},
	}
	return s
}

func TestRebuttalValidate(t *testing.T) {
	r := &Rebuttal{ObjectionID: " not-an-id ", Grounds: "  ", StatedOn: "16 May", Handling: "TLP:PURPLE"}
	r.Normalize()
	got := map[string]bool{}
	for _, fe := range r.Validate() {
		got[fe.Field] = true
	}
	for _, f := range []string{"objection_id", "party_id", "grounds", "stated_on", "handling"} {
		if !got[f] {
			t.Errorf("no error on %s; got %v", f, got)
		}
	}
	ok := rebuttalSnapshot().Rebuttals[1]
	if errs := ok.Validate(); len(errs) > 0 {
		t.Errorf("a good rebuttal is refused: %v", errs)
	}
	if KindRebuttal.Singular() != "rebuttal" || New(KindRebuttal) == nil {
		t.Error("rebuttals are not a kind like the others")
	}
	if i, j := kindIndex(KindObjection), kindIndex(KindRebuttal); j != i+1 {
		t.Errorf("rebuttals at %d in Kinds, objections at %d: they must follow objections", j, i)
	}
}

func kindIndex(k Kind) int {
	for i, c := range Kinds {
		if c == k {
			return i
		}
	}
	return -1
}

// TestMatrixCarriesRebuttals: the objecting party's cell carries the
// answers to its objection, by stated_on, and neither the stance nor the
// topic's state moves for them.
func TestMatrixCarriesRebuttals(t *testing.T) {
	plain, err := BuildMatrix(fixtureSnapshot(), nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := BuildMatrix(rebuttalSnapshot(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range m.Cells {
		var ids []string
		for _, r := range c.Rebuttals {
			ids = append(ids, r.ID)
		}
		want := ""
		if c.TopicID == fxCeasefire && c.PartyID == fxRU {
			want = fxRebUA + "," + fxRebUS
		}
		if got := strings.Join(ids, ","); got != want {
			t.Errorf("cell %s/%s rebuttals = %q, want %q", c.TopicID, c.PartyID, got, want)
		}
		if c.Stance != plain.Cells[i].Stance {
			t.Errorf("cell %s/%s stance %s, %s without rebuttals", c.TopicID, c.PartyID, c.Stance, plain.Cells[i].Stance)
		}
	}
	for i, sum := range m.TopicSummaries {
		if sum.State != plain.TopicSummaries[i].State {
			t.Errorf("topic %s is %s with rebuttals, %s without", sum.TopicID, sum.State, plain.TopicSummaries[i].State)
		}
	}
	cm := m.Compact(false)
	rebutted := 0
	for _, c := range cm.Cells {
		rebutted += c.R
	}
	if rebutted != 2 {
		t.Errorf("compact cells count %d rebuttals, want 2", rebutted)
	}
	if got := IndexSnapshot(rebuttalSnapshot()).Rebuttals(fxObjRU); len(got) != 2 || got[0].ID != fxRebUA {
		t.Errorf("index Rebuttals = %v", got)
	}
}

// TestAudienceCutsRebuttals: a rebuttal marked above the audience is left
// out, and so is every rebuttal of an objection left out.
func TestAudienceCutsRebuttals(t *testing.T) {
	s := rebuttalSnapshot()
	s.Negotiation.Handling = "TLP:GREEN"
	s.Rebuttals[0].Handling = "TLP:RED"
	s.Objections = append(s.Objections, &Objection{Meta: Meta{ID: fxRedObj}, DemandID: fxDCh, PartyID: fxRU, Grounds: "red grounds",
		Type: "rejection", State: "standing", StatedOn: "2025-05-16", Handling: "TLP:RED"})
	s.Rebuttals = append(s.Rebuttals, &Rebuttal{Meta: Meta{ID: "00000000-0000-4000-8000-0000000000fb"}, ObjectionID: fxRedObj, PartyID: fxUA,
		Grounds: "answer to a red objection", StatedOn: "2025-05-17", Handling: "TLP:CLEAR"})
	if got := SnapshotHandling(s, ""); got != "TLP:RED" {
		t.Errorf("the snapshot's marking is %s, want TLP:RED", got)
	}
	kept := ForAudience(s, "TLP:GREEN")
	if len(kept.Rebuttals) != 1 || kept.Rebuttals[0].ID != fxRebUA {
		t.Fatalf("kept rebuttals %v, want only Ukraine's", kept.Rebuttals)
	}
	revs := []Revision{{ResourceType: KindRebuttal, ResourceID: fxRebUS}, {ResourceType: KindRebuttal, ResourceID: fxRebUA}}
	if got := RevisionsForAudience(revs, kept); len(got) != 1 || got[0].ResourceID != fxRebUA {
		t.Errorf("revisions kept %v", got)
	}
	if len(s.Rebuttals) != 3 {
		t.Error("ForAudience changed its snapshot")
	}
}

// TestCompareRebuttal: a rebuttal added between two moments is a move on
// its objection's topic, said in words.
func TestCompareRebuttal(t *testing.T) {
	from, to := fixtureSnapshot(), rebuttalSnapshot()
	to.Rebuttals = to.Rebuttals[1:]
	c := Compare(from, to)
	var found *Move
	for _, tc := range c.Topics {
		for i, m := range tc.Moves {
			if m.ResourceType == KindRebuttal {
				if tc.TopicID != fxCeasefire {
					t.Errorf("rebuttal filed under topic %s", tc.TopicID)
				}
				found = &tc.Moves[i]
			}
		}
	}
	if found == nil {
		t.Fatal("no rebuttal move")
	}
	want := "Ukraine answers Russia's objection to “Immediate 30-day ceasefire”: “A ceasefire stops the killing”"
	if found.Summary != want || found.Kind != MoveAdded || found.DemandID != fxD30 || found.PartyID != fxUA {
		t.Errorf("move = %+v\nwant summary %s", *found, want)
	}
	gone := Compare(to, from)
	for _, tc := range gone.Topics {
		for _, m := range tc.Moves {
			if m.ResourceType == KindRebuttal && !strings.Contains(m.Summary, "Ukraine's answer to Russia's objection") {
				t.Errorf("removal reads %q", m.Summary)
			}
		}
	}
}

// TestDescribeRebuttalChange: the changes feed names the objection a
// rebuttal answers, and says so when it is gone.
func TestDescribeRebuttalChange(t *testing.T) {
	n := NamesOf(rebuttalSnapshot())
	items := DescribeChangeItems([]Change{
		{Revision: Revision{ResourceType: KindRebuttal, Action: "update",
			Resource: []byte(`{"objection_id":"` + fxObjRU + `","party_id":"` + fxUA + `","grounds":"Stops the killing now"}`)},
			Previous: []byte(`{"objection_id":"` + fxObjRU + `","party_id":"` + fxUA + `","grounds":"Stops the killing"}`)},
		{Revision: Revision{ResourceType: KindRebuttal, Action: "create",
			Resource: []byte(`{"objection_id":"00000000-0000-4000-8000-00000000dead","party_id":"` + fxUA + `","grounds":"x"}`)}},
	}, n)
	if want := "Ukraine's answer to Russia's objection to “Immediate 30-day ceasefire”: grounds “Stops the killing” → “Stops the killing now”"; items[0].Summary != want {
		t.Errorf("update reads %q\nwant %q", items[0].Summary, want)
	}
	if want := "Ukraine answers an objection no longer on record: “x”"; items[1].Summary != want {
		t.Errorf("create reads %q\nwant %q", items[1].Summary, want)
	}
}
