package domain

import (
	"bytes"
	"encoding/json"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// timelineChange is a revision decoded for the replay: only what a topic's
// state and terms depend on.
type timelineChange struct {
	at          time.Time
	kind        Kind
	id          string
	negotiation *Negotiation
	demand      *Demand
	objection   *Objection
	endorsement *Endorsement
}

// The parts of stored bodies the replay reads; everything else (the
// citations, details and notes that make up most of a body) is skipped.
type (
	demandBody struct {
		PartyID string         `json:"party_id"`
		TopicID string         `json:"topic_id"`
		State   string         `json:"status"`
		Terms   map[string]any `json:"terms"`
	}
	claimBody struct {
		DemandID string `json:"demand_id"`
		PartyID  string `json:"party_id"`
		State    string `json:"status"`
	}
)

// decodeRevisions decodes the bodies the replay needs on every core, the
// bulk of the work at conference scale. Rounds, delegations and parties do
// not shape a topic and are skipped; a topic needs only its id. A body
// that does not decode is left out rather than failing the whole picture.
func decodeRevisions(revs []Revision) []timelineChange {
	out := make([]timelineChange, len(revs))
	keep := make([]bool, len(revs))
	workers := min(runtime.GOMAXPROCS(0), len(revs)/512+1)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(revs); i += workers {
				out[i], keep[i] = decodeRevision(revs[i])
			}
		}(w)
	}
	wg.Wait()
	kept := out[:0]
	for i, c := range out {
		if keep[i] {
			kept = append(kept, c)
		}
	}
	return kept
}

func decodeRevision(rev Revision) (timelineChange, bool) {
	c := timelineChange{at: rev.EffectiveAt.UTC(), kind: rev.ResourceType, id: rev.ResourceID}
	switch rev.ResourceType {
	case KindNegotiation:
		var b struct {
			Participants []Participant `json:"participants"`
		}
		if json.Unmarshal(rev.Resource, &b) != nil {
			return c, false
		}
		c.negotiation = &Negotiation{Meta: Meta{ID: rev.ResourceID}, Participants: b.Participants}
	case KindTopic:
	case KindDemand:
		b, ok := readDemandBody(rev.Resource)
		if !ok {
			return c, false
		}
		c.demand = &Demand{Meta: Meta{ID: rev.ResourceID}, PartyID: b.PartyID, TopicID: b.TopicID, State: DemandStatus(b.State), Terms: b.Terms}
	case KindObjection, KindEndorsement:
		b, ok := readClaimBody(rev.Resource)
		if !ok {
			return c, false
		}
		if rev.ResourceType == KindObjection {
			c.objection = &Objection{Meta: Meta{ID: rev.ResourceID}, DemandID: b.DemandID, PartyID: b.PartyID, State: ObjectionStatus(b.State)}
		} else {
			c.endorsement = &Endorsement{Meta: Meta{ID: rev.ResourceID}, DemandID: b.DemandID, PartyID: b.PartyID}
		}
	default:
		return c, false
	}
	return c, true
}

// readDemandBody reads a demand's party, topic, status and terms, picking
// them out of the body's top level and decoding only the terms object; a
// body the scan cannot read is decoded whole.
func readDemandBody(body []byte) (demandBody, bool) {
	var b demandBody
	var terms []byte
	ok := scanObject(body, func(key, raw []byte) bool {
		switch string(key) {
		case "party_id":
			return readString(raw, &b.PartyID)
		case "topic_id":
			return readString(raw, &b.TopicID)
		case "status":
			return readString(raw, &b.State)
		case "terms":
			terms = raw
		default:
			return !foldsTo(key, "party_id", "topic_id", "status", "terms")
		}
		return true
	})
	if ok && terms != nil && !bytes.Equal(terms, []byte("null")) {
		ok = json.Unmarshal(terms, &b.Terms) == nil
	}
	if !ok {
		b = demandBody{}
		return b, json.Unmarshal(body, &b) == nil
	}
	return b, true
}

// readClaimBody reads an objection's or endorsement's demand, party and
// status as readDemandBody does.
func readClaimBody(body []byte) (claimBody, bool) {
	var b claimBody
	ok := scanObject(body, func(key, raw []byte) bool {
		switch string(key) {
		case "demand_id":
			return readString(raw, &b.DemandID)
		case "party_id":
			return readString(raw, &b.PartyID)
		case "status":
			return readString(raw, &b.State)
		default:
			return !foldsTo(key, "demand_id", "party_id", "status")
		}
	})
	if !ok {
		b = claimBody{}
		return b, json.Unmarshal(body, &b) == nil
	}
	return b, true
}

// foldsTo reports whether key matches one of names only when case is
// ignored, as encoding/json would match it: the scan then gives way to
// encoding/json, so that both always read a body alike.
func foldsTo(key []byte, names ...string) bool {
	for _, n := range names {
		if len(key) == len(n) && strings.EqualFold(string(key), n) {
			return true
		}
	}
	return false
}

// readString sets s from a raw JSON string; escapes and anything that is
// not plain UTF-8 are left to encoding/json.
func readString(raw []byte, s *string) bool {
	if len(raw) >= 2 && raw[0] == '"' && bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		*s = string(raw[1 : len(raw)-1])
		return true
	}
	return json.Unmarshal(raw, s) == nil
}

// scanObject walks the members of a JSON object, passing each key and the
// raw bytes of its value to visit, without decoding the values; visit
// returns false to stop with a failure. It checks only the structure it
// walks: bodies come from the store, and any surprise makes it return
// false so that the caller decodes the body whole.
func scanObject(body []byte, visit func(key, raw []byte) bool) bool {
	i := skipSpace(body, 0)
	if i >= len(body) || body[i] != '{' {
		return false
	}
	i = skipSpace(body, i+1)
	if i < len(body) && body[i] == '}' {
		return skipSpace(body, i+1) == len(body)
	}
	for {
		if i >= len(body) || body[i] != '"' {
			return false
		}
		end := skipString(body, i)
		if end < 0 {
			return false
		}
		key := body[i+1 : end-1]
		if bytes.IndexByte(key, '\\') >= 0 {
			return false // an escaped key: let encoding/json read it
		}
		i = skipSpace(body, end)
		if i >= len(body) || body[i] != ':' {
			return false
		}
		start := skipSpace(body, i+1)
		end = skipValue(body, start)
		if end < 0 || !visit(key, body[start:end]) {
			return false
		}
		i = skipSpace(body, end)
		if i >= len(body) {
			return false
		}
		switch body[i] {
		case ',':
			i = skipSpace(body, i+1)
		case '}':
			return skipSpace(body, i+1) == len(body)
		default:
			return false
		}
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string starting at b[i], or -1.
func skipString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// skipValue returns the index after the value starting at b[i], or -1:
// strings with their escapes, objects and arrays to their matching
// bracket, anything else (numbers, true, false, null) to the next
// delimiter.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end := skipString(b, j)
				if end < 0 {
					return -1
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\t' && b[j] != '\n' && b[j] != '\r' {
		j++
	}
	if j == i {
		return -1
	}
	return j
}
