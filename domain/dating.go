package domain

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
)

// Negotiation time and record time. Record time is when something was typed
// in (created_at, updated_at, a revision's at): kept for audit, never
// edited. Negotiation time is when it happened in the talks: the analyst
// says it with effective_on, and every dated view runs on it.

// Dating is the negotiation-time side of a write: when it took effect in the
// talks, why, and who reported it. It is stored with the revision, never as
// fields of the resource.
type Dating struct {
	// EffectiveAt is when the write took effect; zero means the resource's
	// own date on create (stated_on, starts_on, …) and now on change.
	EffectiveAt time.Time
	Note        string
	Citations   []Citation
}

// Dating fields of a request body, beside the resource's own fields.
const (
	FieldEffectiveOn     = "effective_on"
	FieldChangeNote      = "change_note"
	FieldChangeCitations = "change_citations"
)

// datingFields lists the request fields that date a write.
var datingFields = []string{FieldEffectiveOn, FieldChangeNote, FieldChangeCitations}

// datingInput is how a client sends the dating fields.
type datingInput struct {
	EffectiveOn     *string     `json:"effective_on"`
	ChangeNote      *string     `json:"change_note"`
	ChangeCitations *[]Citation `json:"change_citations"`
}

// ExtractDating takes the dating fields out of a JSON object body and reads
// them. It returns the body without them for the resource's decoder, the
// dating, and every problem with the dating fields. A body that holds none
// of them, or is no JSON object, comes back as it was (the decoder then
// says what is wrong with it).
func ExtractDating(body []byte, now time.Time) ([]byte, Dating, FieldErrors) {
	if !mentionsDating(body) {
		return body, Dating{}, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return body, Dating{}, nil
	}
	picked := map[string]json.RawMessage{}
	for _, f := range datingFields {
		if v, ok := fields[f]; ok {
			picked[f] = v
			delete(fields, f)
		}
	}
	if len(picked) == 0 {
		return body, Dating{}, nil
	}
	rest, err := json.Marshal(fields)
	if err != nil {
		return body, Dating{}, nil
	}
	var errs FieldErrors
	var in datingInput
	for f, raw := range picked {
		var dst any
		switch f {
		case FieldEffectiveOn:
			dst = &in.EffectiveOn
		case FieldChangeNote:
			dst = &in.ChangeNote
		default:
			dst = &in.ChangeCitations
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			msg := "must be a string"
			if f == FieldChangeCitations {
				msg = "must be a list of citations"
			}
			errs.Add(f, "%s", msg)
		}
	}
	var d Dating
	if in.ChangeNote != nil {
		d.Note = *in.ChangeNote
	}
	if in.ChangeCitations != nil {
		d.Citations = *in.ChangeCitations
	}
	eff := ""
	if in.EffectiveOn != nil {
		eff = *in.EffectiveOn
	}
	d, more := ParseDating(eff, d.Note, d.Citations, now)
	return rest, d, append(errs, more...)
}

// mentionsDating is a cheap first look: most bodies carry no dating field
// and need not be decoded twice.
func mentionsDating(body []byte) bool {
	for _, f := range datingFields {
		if bytes.Contains(body, []byte(`"`+f+`"`)) {
			return true
		}
	}
	return false
}

// ParseDating reads the dating of a write as a form or a command line gives
// it: effectiveOn a YYYY-MM-DD date (the start of that day, UTC) or an
// RFC 3339 time, "" for the default. A time later than the end of
// tomorrow (UTC) is refused: talks are recorded after they happen, and a
// day's grace covers time zones.
func ParseDating(effectiveOn, note string, citations []Citation, now time.Time) (Dating, FieldErrors) {
	var c checker
	d := Dating{Note: strings.TrimSpace(note), Citations: citations}
	if v := strings.TrimSpace(effectiveOn); v != "" {
		t, err := ParseInstant(v, false)
		switch {
		case err != nil:
			c.errs.Add(FieldEffectiveOn, "must be a YYYY-MM-DD date or an RFC 3339 time")
		case t.After(EndOfDay(now.UTC().AddDate(0, 0, 1))):
			c.errs.Add(FieldEffectiveOn, "is in the future: a change can be dated at most tomorrow")
		default:
			d.EffectiveAt = t
		}
	}
	c.text(FieldChangeNote, d.Note, MaxText, false)
	if d.Citations == nil {
		d.Citations = []Citation{}
	}
	normalizeCitations(&d.Citations)
	validateCitationsAt(&c, FieldChangeCitations, d.Citations)
	return d, c.errs
}

// ParseInstant reads an instant of negotiation or record time: an RFC 3339
// time, or a date alone, which means a day in UTC: its start, or with end
// its last instant, so that "as of 16 May" includes what happened on
// 16 May.
func ParseInstant(v string, end bool) (time.Time, error) {
	t, err := NormalizeTime(v)
	if err != nil {
		return t, err
	}
	if t.IsZero() {
		// The zero instant stands for "now" inside parley; the first
		// instant of year 1 is as far back as anyone means.
		t = t.Add(time.Microsecond)
	}
	if end && isDateOnly(v) {
		return EndOfDay(t), nil
	}
	return t, nil
}

func isDateOnly(v string) bool {
	_, err := time.Parse(DateLayout, strings.TrimSpace(v))
	return err == nil
}

// EndOfDay is the last instant of t's day in UTC, at the store's precision.
func EndOfDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 23, 59, 59, 999999000, time.UTC)
}

// DayStart reads a YYYY-MM-DD date as the start of that day, UTC; ok is
// false for "" or a value that is no date.
func DayStart(date string) (time.Time, bool) {
	t, err := time.Parse(DateLayout, date)
	return t, err == nil
}

// OwnDate is the date a resource's create takes effect on when the write
// names none: a demand, objection, rebuttal or endorsement its stated_on, a round its
// starts_on, a negotiation its started_on. Delegations and topics take
// theirs from the round or negotiation they belong to, which only the
// store can read; ok is false for them and for a resource without a date.
func OwnDate(r Resource) (time.Time, bool) {
	switch v := r.(type) {
	case *Demand:
		return DayStart(v.StatedOn)
	case *Objection:
		return DayStart(v.StatedOn)
	case *Rebuttal:
		return DayStart(v.StatedOn)
	case *Endorsement:
		return DayStart(v.StatedOn)
	case *Round:
		return DayStart(v.StartsOn)
	case *Negotiation:
		return DayStart(v.StartedOn)
	}
	return time.Time{}, false
}

// RoundEnd is the instant as_of_round stands for: the end of the round's
// last day (ends_on, else starts_on), UTC.
func RoundEnd(r *Round) time.Time {
	day := r.EndsOn
	if day == "" {
		day = r.StartsOn
	}
	t, _ := DayStart(day)
	return EndOfDay(t)
}

// RoundStart is the start of a round's first day, UTC.
func RoundStart(r *Round) time.Time {
	t, _ := DayStart(r.StartsOn)
	return t
}

// Moment is the instant a view answers for: AsOf in negotiation time (zero:
// the latest state), RecordedAsOf in record time (zero: everything
// recorded). Both together answer "what did we know on RecordedAsOf about
// the talks as of AsOf".
type Moment struct {
	AsOf         time.Time
	RecordedAsOf time.Time
}

// IsNow reports whether the moment is the present state of the records.
func (m Moment) IsNow() bool { return m.AsOf.IsZero() && m.RecordedAsOf.IsZero() }

// ChangesQuery selects one page of what took effect in a negotiation.
type ChangesQuery struct {
	NegotiationID string
	// Since and Until bound negotiation time: from Since on, not after
	// Until (zero: no bound).
	Since, Until time.Time
	Limit        int
	Cursor       string
}

// ChangesPage is one page of changes, ordered by negotiation time;
// NextCursor is "" on the last page.
type ChangesPage struct {
	Items      []Change
	NextCursor string
}
