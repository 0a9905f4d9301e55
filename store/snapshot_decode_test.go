package store

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/parley/parley/domain"
)

// storedBodies are bodies as the store writes them, and as an import or an
// older version might have: reordered, spaced, escaped, with unknown keys.
var storedBodies = []struct {
	kind domain.Kind
	body string
	// fast says whether the hand reader takes the body itself rather than
	// handing it to encoding/json.
	fast bool
}{
	{domain.KindDemand, `{"id":"0196d2a4-1111-7000-8000-000000000001","created_at":"2025-05-16T08:00:00.123456Z","updated_at":"2025-05-16T09:00:00Z","version":3,"negotiation_id":"n","party_id":"p","topic_id":"t","title":"30-day ceasefire","details":"Unconditional","terms":{"duration_days":30,"unconditional":true,"zones":["air","sea"]},"status":"tabled","priority":"high","stated_on":"2025-05-16","round_id":"","citations":[{"publisher":"Newsweek","title":"Live","url":"https://www.newsweek.com/live","published_at":"","locator":"08:13 AM EDT","quote":"an immediate, unconditional 30-day ceasefire","reliability":"B","credibility":"2"}]}`, true},
	{domain.KindDemand, ` { "title" : "Приостановка огня — Ateşkes", "citations" : [ ] , "terms":{}, "version":-0 } `, true},
	{domain.KindDemand, `{"title":"He said \"now\"\nand left \u00e9\ud83d\ude00","details":"tab\there"}`, true},
	{domain.KindDemand, `{"title":"bad ` + "\xff" + ` utf-8"}`, true},
	{domain.KindDemand, `{"title":"bad \x escape"}`, false},
	{domain.KindDemand, `{"citations":[{"credibility":2}]}`, false},
	{domain.KindDemand, `{"Title":"case-folded key"}`, false},
	{domain.KindDemand, `{"title":"a","title":"repeated"}`, false},
	{domain.KindDemand, `{"terms":{"a":1},"terms":{"b":2}}`, false},
	{domain.KindDemand, `{"title":null}`, false},
	{domain.KindDemand, `{"version":1.0}`, false},
	{domain.KindDemand, `{"version":"1"}`, false},
	{domain.KindDemand, `{"unknown":1}`, false},
	{domain.KindDemand, `{"created_at":"yesterday"}`, false},
	{domain.KindDemand, `{"title":"x"} trailing`, false},
	{domain.KindDemand, `{"title":"x",}`, false},
	{domain.KindDemand, `{"terms":{"a":[1}]}}`, false},
	{domain.KindDemand, `{"title":"ctl` + "\x01" + `"}`, false},
	{domain.KindDemand, `{"terms":{"days":30,"ratio":-0.5e-3,"big":1E+21,"all":true,"none":false,"unset":null,"zone":"Black Sea \u2014 \"south\"","days":31}}`, true},
	{domain.KindDemand, `{"terms":{"nested":{"a":[1,2]},"s":"x"}}`, true},
	{domain.KindDemand, `{"terms":{"b":1,"a":2},"term_order":["b","a"]}`, true},
	{domain.KindDemand, `{"terms":{},"term_order":[ ]}`, true},
	{domain.KindDemand, `{"term_order":[ "b" , "\u00e9" ]}`, true},
	{domain.KindDemand, `{"term_order":null}`, true},
	{domain.KindDemand, `{"term_order":["a",1]}`, false},
	{domain.KindDemand, `{"term_order":["a",]}`, false},
	{domain.KindDemand, `{"term_order":["a"],"term_order":["b"]}`, false},
	{domain.KindDemand, `{"terms":{"a":1e400}}`, false},
	{domain.KindDemand, `{"terms":{"a":01}}`, false},
	{domain.KindDemand, `{"terms":{"a":1.}}`, false},
	{domain.KindDemand, `{"terms":{"a":truex}}`, false},
	{domain.KindDemand, `{"terms":{"a":-}}`, false},
	{domain.KindDemand, `{"terms":null}`, false},
	{domain.KindDemand, `[]`, false},
	{domain.KindDemand, ``, false},
	{domain.KindObjection, `{"id":"o","created_at":"2025-05-16T08:00:00Z","updated_at":"2025-05-16T08:00:00Z","version":1,"demand_id":"d","party_id":"p","grounds":"rest and rearm","kind":"rejection","status":"standing","stated_on":"2025-05-16","citations":[],"negotiation_id":"n"}`, true},
	{domain.KindObjection, `{"kind":3}`, false},
	{domain.KindRebuttal, `{"id":"r","created_at":"2025-05-16T08:00:00Z","updated_at":"2025-05-16T08:00:00Z","version":1,"objection_id":"o","party_id":"p","grounds":"a truce saves lives","stated_on":"2025-05-16","round_id":"x","citations":[],"handling":"TLP:RED","negotiation_id":"n"}`, true},
	{domain.KindRebuttal, `{"objection_id":"o","objection_id":"o2"}`, false},
	{domain.KindRebuttal, `{"status":"standing"}`, false},
	{domain.KindEndorsement, `{"id":"e","created_at":"2025-05-16T08:00:00Z","updated_at":"2025-05-16T08:00:00Z","version":1,"demand_id":"d","party_id":"p","stated_on":"2025-05-16","note":"Backs it.","citations":[{"title":"T","credibility":""}],"negotiation_id":"n"}`, true},
	{domain.KindEndorsement, `{"citations":[{"title":"T"},]}`, false},
	{domain.KindParty, `{"id":"p","name":"Ukraine","aliases":["UA"]}`, false},
}

// decodeWithStdlib is what decodeStored must always agree with.
func decodeWithStdlib(k domain.Kind, body string) (domain.Resource, error) {
	return decode(k, []byte(body))
}

func TestDecodeStoredAgreesWithEncodingJSON(t *testing.T) {
	for _, tc := range storedBodies {
		t.Run(string(tc.kind)+" "+tc.body, func(t *testing.T) {
			checkAgrees(t, tc.kind, tc.body)
			var fast bool
			switch tc.kind {
			case domain.KindDemand:
				_, fast = readDemand(tc.body)
			case domain.KindObjection:
				_, fast = readObjection(tc.body)
			case domain.KindRebuttal:
				_, fast = readRebuttal(tc.body)
			case domain.KindEndorsement:
				_, fast = readEndorsement(tc.body)
			}
			if fast != tc.fast {
				t.Errorf("read by hand: %v, want %v", fast, tc.fast)
			}
		})
	}
}

// TestDecodeStoredReadsWhatTheStoreWrites round-trips a resource through
// the store's own encoding, so a new field in domain that the hand reader
// does not know shows up here as a refusal rather than passing unseen.
func TestDecodeStoredReadsWhatTheStoreWrites(t *testing.T) {
	at := time.Date(2025, 5, 16, 8, 13, 0, 123456000, time.UTC)
	meta := domain.Meta{ID: "0196d2a4-1111-7000-8000-000000000001", CreatedAt: at, UpdatedAt: at.Add(time.Hour), Version: 2}
	cite := []domain.Citation{{Publisher: "Reuters", Title: "Talks", URL: "https://example.org/a?b=1&c=<2>", PublishedAt: "2025-05-16",
		Locator: "para 3", Quote: "«Нет» — dedi", Reliability: "A", Credibility: "1"}}
	for _, r := range []domain.Resource{
		&domain.Demand{Meta: meta, NegotiationID: "n", PartyID: "p", TopicID: "t", Title: "Exchange", Details: "1000 for 1000",
			Terms: map[string]any{"prisoners": float64(1000), "note": "all for all"}, State: "tabled", Priority: "high",
			StatedOn: "2025-05-16", RoundID: "r", Citations: cite},
		&domain.Objection{Meta: meta, DemandID: "d", PartyID: "p", Grounds: "no", Type: "rejection", State: "standing",
			StatedOn: "2025-05-16", Citations: cite, NegotiationID: "n"},
		&domain.Rebuttal{Meta: meta, ObjectionID: "o", PartyID: "p", Grounds: "a truce saves lives", StatedOn: "2025-05-16", RoundID: "r",
			Citations: cite, Handling: "TLP:RED", NegotiationID: "n"},
		&domain.Endorsement{Meta: meta, DemandID: "d", PartyID: "p", StatedOn: "2025-05-16", Note: "yes", Citations: cite, NegotiationID: "n"},
	} {
		body, err := encodeBody(r)
		if err != nil {
			t.Fatal(err)
		}
		var ok bool
		switch r.Kind() {
		case domain.KindDemand:
			_, ok = readDemand(string(body))
		case domain.KindObjection:
			_, ok = readObjection(string(body))
		case domain.KindRebuttal:
			_, ok = readRebuttal(string(body))
		case domain.KindEndorsement:
			_, ok = readEndorsement(string(body))
		}
		if !ok {
			t.Errorf("%s: the hand reader refuses the store's own body %s", r.Kind(), body)
		}
		got, err := decodeStored(r.Kind(), string(body))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, r) {
			t.Errorf("%s: got %+v, want %+v", r.Kind(), got, r)
		}
	}
}

func checkAgrees(t *testing.T, k domain.Kind, body string) {
	t.Helper()
	want, wantErr := decodeWithStdlib(k, body)
	got, gotErr := decodeStored(k, body)
	if (wantErr == nil) != (gotErr == nil) {
		t.Fatalf("error %v, encoding/json says %v", gotErr, wantErr)
	}
	if wantErr == nil && !reflect.DeepEqual(got, want) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Fatalf("got  %s\nwant %s", g, w)
	}
}

func FuzzDecodeStored(f *testing.F) {
	kinds := []domain.Kind{domain.KindDemand, domain.KindObjection, domain.KindEndorsement, domain.KindRebuttal}
	for _, tc := range storedBodies {
		for i, k := range kinds {
			if k == tc.kind {
				f.Add(uint8(i), tc.body)
			}
		}
	}
	f.Fuzz(func(t *testing.T, kind uint8, body string) {
		checkAgrees(t, kinds[int(kind)%len(kinds)], body)
	})
}
