package ui

import (
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/parley/parley/domain"
)

// Form fields of the "When did this take effect?" block, beside the
// resource's own. effective_round is the form's one-click shortcut: a
// round's start or end, which the server turns into a date.
const (
	fieldEffectiveRound = "effective_round"
	// A typed effective_on wins over a round chosen in effective_round:
	// it is the more precise of the two (it may carry a time of day).
	roundStartPrefix = "start:"
	roundEndPrefix   = "end:"
)

// dated reports whether writes of kind k carry negotiation time: every
// kind inside a negotiation, the negotiation itself included. Parties
// belong to no negotiation and have no negotiation time.
func dated(k domain.Kind) bool { return k != domain.KindParty }

// ownDateHint says what an undated create takes effect on, kind by kind.
func ownDateHint(k domain.Kind) string {
	switch k {
	case domain.KindNegotiation:
		return "its “Started on” date (or the moment you save, if that is empty)"
	case domain.KindRound:
		return "its “Starts on” date"
	case domain.KindDelegation:
		return "the start of its round"
	case domain.KindTopic:
		return "the negotiation’s start date (or the moment you save, if it has none)"
	}
	return "its “Stated on” date"
}

// datingView is the "When did this take effect?" block of a form.
type datingView struct {
	Editing bool
	// Required: an edit in talks whose latest round has ended must say
	// when the move was made, since "now" would be wrong.
	Required    bool
	Intro       string
	RoundsID    string
	Rounds      []roundChoice
	RoundErrors []string
	EffectiveOn fieldView
	Note        fieldView
	Sources     []citationView
	SourcesOpen bool
}

// roundChoice is one radio of the effective_round group.
type roundChoice struct {
	ID      string
	Value   string
	Label   string
	Checked bool
}

// talksOver reports whether the negotiation's latest round has ended by
// now, and when it ended. Without rounds nothing can be said.
func talksOver(fc formContext, now time.Time) (time.Time, bool) {
	if fc.Snapshot == nil || len(fc.Snapshot.Rounds) == 0 {
		return time.Time{}, false
	}
	var last time.Time
	for _, r := range fc.Snapshot.Rounds {
		if end := domain.RoundEnd(r); end.After(last) {
			last = end
		}
	}
	return last, last.Before(now)
}

// roundDates lists the one-click choices: each round's start, and its end
// when it lasted more than a day.
func roundDates(fc formContext, chosen string) []roundChoice {
	out := []roundChoice{}
	if fc.Snapshot == nil {
		return out
	}
	for _, r := range fc.Snapshot.Rounds {
		start := roundChoice{Value: roundStartPrefix + r.ID, Label: r.Title + ": " + domain.FormatDay(r.StartsOn)}
		if r.EndsOn != "" && r.EndsOn != r.StartsOn {
			start.Label = "Start of " + r.Title + " (" + domain.FormatDay(r.StartsOn) + ")"
			end := roundChoice{Value: roundEndPrefix + r.ID, Label: "End of " + r.Title + " (" + domain.FormatDay(r.EndsOn) + ")"}
			out = append(out, start, end)
			continue
		}
		out = append(out, start)
	}
	for i := range out {
		out[i].ID = inputID(fieldEffectiveRound) + "-" + strings.ReplaceAll(out[i].Value, ":", "-")
		out[i].Checked = out[i].Value == chosen
	}
	return out
}

// roundDate turns an effective_round choice into the date it stands for;
// ok is false when it names no round of the negotiation.
func roundDate(fc formContext, choice string) (string, bool) {
	if fc.Snapshot == nil {
		return "", false
	}
	for _, r := range fc.Snapshot.Rounds {
		switch choice {
		case roundStartPrefix + r.ID:
			return r.StartsOn, true
		case roundEndPrefix + r.ID:
			if r.EndsOn != "" {
				return r.EndsOn, true
			}
			return r.StartsOn, true
		}
	}
	return "", false
}

// datingOf reads the block: the typed date, else the round chosen, with
// the note and the source of the move. An edit that changes something in
// talks whose latest round has ended must be dated.
func datingOf(k domain.Kind, st formState, fc formContext, editing, changes bool, now time.Time) (domain.Dating, domain.FieldErrors) {
	if !dated(k) {
		return domain.Dating{}, nil
	}
	var errs domain.FieldErrors
	effectiveOn := strings.TrimSpace(st.Values[domain.FieldEffectiveOn])
	if choice := st.Values[fieldEffectiveRound]; choice != "" {
		day, ok := roundDate(fc, choice)
		switch {
		case !ok:
			errs.Add(fieldEffectiveRound, "names no round of this negotiation: choose one of the listed rounds")
		case effectiveOn == "":
			effectiveOn = day
		}
	}
	d, more := domain.ParseDating(instantInput(effectiveOn), st.Values[domain.FieldChangeNote], citationsOf(st.ChangeCitations), now)
	var de *domain.DayError
	if _, err := domain.ParseDay(effectiveOn); errors.As(err, &de) && len(de.Readings) > 1 {
		// A day that could be two is said to be so, not merely unreadable.
		for i := range more {
			if more[i].Field == domain.FieldEffectiveOn {
				more[i].Message = de.Error()
			}
		}
	}
	errs = append(errs, more...)
	if editing && changes && d.EffectiveAt.IsZero() && errs.On(domain.FieldEffectiveOn) == "" && errs.On(fieldEffectiveRound) == "" {
		if ended, over := talksOver(fc, now); over {
			errs.Add(domain.FieldEffectiveOn, "is required: the latest round of these talks ended on %s, so a change dated now would be wrong. Give the date the move was made, or pick a round.", readableTime(ended))
		}
	}
	return d, errs
}

// citationsOf reads citation rows as typed; ParseDating normalizes and
// validates them as the API's reader does.
func citationsOf(rows []map[string]string) []domain.Citation {
	out := make([]domain.Citation, 0, len(rows))
	for _, row := range rows {
		row = withPublishedDay(row)
		out = append(out, domain.Citation{
			Publisher: row["publisher"], Title: row["title"], URL: row["url"], PublishedAt: row["published_at"],
			Locator: row["locator"], Quote: row["quote"], Reliability: domain.Reliability(row["reliability"]), Credibility: domain.Grade(row["credibility"]),
		})
	}
	return out
}

// instantInput turns what people type for a time into what
// domain.ParseInstant reads: a day as people write it (10 Jan 2025,
// 2025/01/10) becomes YYYY-MM-DD, a date and time without seconds or
// offset (as a datetime-local input sends it) is taken as UTC, as the
// forms say, and "2026-12-02T02:51+01:00" gains its seconds. Anything else
// is left for ParseInstant to judge.
func instantInput(s string) string {
	s = strings.TrimSpace(s)
	if day, err := domain.ParseDay(s); err == nil {
		return day
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC().Format(time.RFC3339)
		}
	}
	for _, layout := range []string{"2006-01-02T15:04Z07:00", "2006-01-02 15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.RFC3339)
		}
	}
	return s
}

// readableTime writes an instant of negotiation time: the date alone at
// midnight UTC or at the end of a day, else the date and time in UTC.
func readableTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.UTC()
	if t.Equal(t.Truncate(24*time.Hour)) || t.Equal(domain.EndOfDay(t)) {
		return t.Format("2 Jan 2006")
	}
	return t.Format("2 Jan 2006, 15:04 UTC")
}

// parseDatingFields reads the block's inputs from a posted form.
func parseDatingFields(st *formState, form url.Values) {
	for _, name := range []string{domain.FieldEffectiveOn, fieldEffectiveRound, domain.FieldChangeNote} {
		st.Values[name] = form.Get(name)
	}
	st.ChangeCitations = parseCitationRows(form, domain.FieldChangeCitations)
}

// datingViewOf prepares the block for the form, taking its errors from
// the pool after the resource's own fields have taken theirs.
func datingViewOf(k domain.Kind, editing bool, st formState, fc formContext, pool *errorPool, now time.Time) *datingView {
	if !dated(k) {
		return nil
	}
	d := &datingView{Editing: editing, RoundsID: inputID(fieldEffectiveRound)}
	ended, over := talksOver(fc, now)
	switch {
	case !editing:
		d.Intro = "Optional. Left empty, it takes effect on " + ownDateHint(k) + "."
	case over:
		d.Required = true
		d.Intro = "The latest round of these talks ended on " + readableTime(ended) + ", so a change you save now must say when it was made: give its date or pick a round. Saving the form unchanged needs no date."
	default:
		d.Intro = "Left empty, the change takes effect now, when you save it."
	}
	d.Rounds = roundDates(fc, st.Values[fieldEffectiveRound])
	d.RoundErrors = pool.take(d.RoundsID, "Round", exactly(fieldEffectiveRound), nil)

	help := "A day (16 May 2025 or 2025-05-16), or a day and time in UTC (2025-05-16T14:30), or an RFC 3339 time such as 2025-05-16T08:13-04:00."
	if len(d.Rounds) > 0 {
		help += " A date typed here wins over a round picked above."
		if d.Required {
			help = "Type it here or pick a round above. " + help
		}
	}
	d.EffectiveOn = fieldView{
		fieldSpec: fieldSpec{Name: domain.FieldEffectiveOn, Label: "Took effect on", Type: inText, Required: d.Required, Help: help},
		InputName: domain.FieldEffectiveOn, ID: inputID(domain.FieldEffectiveOn), Value: st.Values[domain.FieldEffectiveOn],
		Placeholder: "e.g. 16 May 2025 or 2025-05-16T14:30",
	}
	d.EffectiveOn.Errors = pool.take(d.EffectiveOn.ID, d.EffectiveOn.Label, exactly(domain.FieldEffectiveOn), nil)
	d.Note = fieldView{
		fieldSpec: fieldSpec{Name: domain.FieldChangeNote, Label: "Why", Type: inTextarea, Help: "What moved and why, e.g. “softened under US pressure”. Shown in the history."},
		InputName: domain.FieldChangeNote, ID: inputID(domain.FieldChangeNote), Value: st.Values[domain.FieldChangeNote],
	}
	d.Note.Errors = pool.take(d.Note.ID, d.Note.Label, exactly(domain.FieldChangeNote), nil)
	d.Sources = citationViews(domain.FieldChangeCitations, "Source of the move", st.ChangeCitations, pool)
	d.SourcesOpen = len(st.ChangeCitations) > 0
	for _, s := range d.Sources {
		for _, f := range s.Fields {
			if len(f.Errors) > 0 {
				d.SourcesOpen = true
			}
		}
	}
	return d
}

// changedFields lists the form's fields whose value the form changes
// from the stored resource; derived and read-only fields are not the
// form's to change.
func changedFields(k domain.Kind, stored, next domain.Resource) ([]string, error) {
	before, err := json.Marshal(stored)
	if err != nil {
		return nil, err
	}
	after, err := json.Marshal(next)
	if err != nil {
		return nil, err
	}
	inForm := map[string]bool{}
	for _, f := range formSpecs[k] {
		inForm[f.Name] = true
	}
	var out []string
	for _, fc := range domain.DiffResources(before, after) {
		if inForm[fc.Field] {
			out = append(out, fc.Field)
		}
	}
	// Terms put in another order are a change of the terms field, though
	// the diff (which lists what moved in the talks) leaves order out.
	if sd, ok := stored.(*domain.Demand); ok && !slices.Contains(out, "terms") {
		if !slices.Equal(sd.OrderedTermKeys(), next.(*domain.Demand).OrderedTermKeys()) {
			out = append(out, "terms")
		}
	}
	return out, nil
}

// applyFields sets the changed fields of next on base. A move dated before
// the resource's latest dated change applies to the resource as it stood
// then: only what the analyst changed in the form goes into that state,
// never the later state the form was filled with.
func applyFields(base, next domain.Resource, fields []string) (domain.Resource, error) {
	doc, err := domain.ToMap(base)
	if err != nil {
		return nil, err
	}
	want, err := domain.ToMap(next)
	if err != nil {
		return nil, err
	}
	if slices.Contains(fields, "terms") {
		// The terms' order goes with them.
		fields = append(slices.Clone(fields), "term_order")
	}
	for _, f := range fields {
		if v, ok := want[f]; ok {
			doc[f] = v
		} else {
			delete(doc, f)
		}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	out := domain.New(base.Kind())
	if err := json.Unmarshal(b, out); err != nil {
		return nil, err
	}
	*out.Base() = *base.Base()
	return out, nil
}
