package domain

import (
	"encoding/json"
	"reflect"
	"testing"
)

// The scan that reads stored bodies for the timeline must read every body
// that encoding/json reads, and read it the same.

var claimSeeds = []string{
	`{"id":"o1","demand_id":"d1","party_id":"p1","grounds":"a \"quoted\" {brace} [x]","kind":"rejection","status":"standing","citations":[{"quote":"x\\y"}]}`,
	`{"demand_id":"d\u0031","party_id":"p1","status":"resolved"}`,
	`{"Status":"resolved","demand_id":"d1"}`,
	`{"status":null,"party_id":"p","demand_id":"d","extra":{"status":"inner"}}`,
	` { "demand_id" : "d1" , "n" : -1.5e3 , "b" : true } `,
	`{}`,
	`{"a":[1,{"b":"]"}],"demand_id":"d"}`,
}

var demandSeeds = []string{
	`{"id":"d1","party_id":"p1","topic_id":"t1","title":"x","terms":{"duration_days":30,"unconditional":true,"zone":"north"},"status":"tabled","citations":[]}`,
	`{"party_id":"p1","topic_id":"t1","terms":null,"status":"withdrawn"}`,
	`{"party_id":"p1","TERMS":{"a":1}}`,
	`{"terms":{"a":"}"},"party_id":"\u00e9"}`,
}

func FuzzReadClaimBody(f *testing.F) {
	for _, s := range claimSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var want claimBody
		if json.Unmarshal(body, &want) != nil {
			return
		}
		got, ok := readClaimBody(body)
		if !ok || got != want {
			t.Errorf("readClaimBody(%s) = %+v, %v; encoding/json reads %+v", body, got, ok, want)
		}
	})
}

func FuzzReadDemandBody(f *testing.F) {
	for _, s := range demandSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var want demandBody
		if json.Unmarshal(body, &want) != nil {
			return
		}
		got, ok := readDemandBody(body)
		if !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("readDemandBody(%s) = %+v, %v; encoding/json reads %+v", body, got, ok, want)
		}
	})
}
