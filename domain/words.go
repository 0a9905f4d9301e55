package domain

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The words every view of a change uses: the compare view, the changes
// view and the reports all write fields, values and numbers through these
// functions, so that a reader meets one vocabulary and never an enum code
// or a piece of JSON.

// minus is the typographic minus sign, which unlike a hyphen does not
// break from its number at the end of a line.
const minus = "−"

// FormatNumber writes a number for readers: thousands separated by
// commas, at most three decimals, a true minus sign: "2,500", "−596",
// "0.25".
func FormatNumber(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	sign := ""
	if f < 0 {
		sign, f = minus, -f
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if _, frac, _ := strings.Cut(s, "."); len(frac) > 3 {
		s = strings.TrimRight(strings.TrimRight(strconv.FormatFloat(f, 'f', 3, 64), "0"), ".")
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	if out := b.String(); out != minus+"0" {
		return out
	}
	return "0"
}

// FormatDelta writes a difference with its direction: "+15", "−596", "0".
func FormatDelta(f float64) string {
	if f > 0 {
		return "+" + FormatNumber(f)
	}
	return FormatNumber(f)
}

// symbolUnits are unit suffixes of term names that read as a symbol after
// the number ("700 m"); the suffix leaves the label. Unit words such as
// days stay in the label instead ("duration days 30 → 45"), which reads
// as naturally and keeps the contract's wording.
var symbolUnits = []struct{ suffix, unit string }{
	{"_km", " km"}, {"_m", " m"}, {"_percent", "%"}, {"_pct", "%"},
	{"_usd", " USD"}, {"_eur", " EUR"}, {"_gbp", " GBP"}, {"_kg", " kg"}, {"_t", " t"},
}

// TermLabel names a term for readers and gives the unit its values carry:
// "buffer_zone_m" → "buffer zone", " m"; "duration_days" → "duration
// days", "".
func TermLabel(key string) (label, unit string) {
	for _, u := range symbolUnits {
		if base, ok := strings.CutSuffix(key, u.suffix); ok && base != "" {
			return Humanize(base), u.unit
		}
	}
	return Humanize(key), ""
}

// TermText writes a term's value for readers with the unit its name
// carries: "700 m", "1,500", "yes". Every view and report writes term
// values through it, beside the label TermLabel gives.
func TermText(key string, v any) string {
	if f, ok := TermNumber(v); ok {
		_, unit := TermLabel(key)
		return FormatNumber(f) + unit
	}
	return FormatTerm(v)
}

// Humanize turns a field name or an enumeration value into words:
// "under_discussion" → "under discussion".
func Humanize(v string) string { return strings.TrimSpace(strings.ReplaceAll(v, "_", " ")) }

// refFields name a referenced resource by what it points at: the value of
// party_id is a party's name.
var refFields = map[string]Kind{
	"party_id": KindParty, "host_party_id": KindParty, "topic_id": KindTopic,
	"round_id": KindRound, "demand_id": KindDemand, "negotiation_id": KindNegotiation,
	"objection_id": KindObjection,
}

// fieldLabels are the fields whose plain humanized name would mislead.
var fieldLabels = map[string]string{
	"host_party_id": "host", "citations": "sources", "kind": "kind", "status": "status",
	"head_name": "head of delegation", "head_title": "head's title", "sort_order": "order",
}

// FieldLabel names a changed field for readers: "status", "stated on",
// "party" for party_id, "duration days" for terms.duration_days.
func FieldLabel(field string) string {
	if key, ok := strings.CutPrefix(field, "terms."); ok {
		label, _ := TermLabel(key)
		return label
	}
	if l, ok := fieldLabels[field]; ok {
		return l
	}
	return Humanize(strings.TrimSuffix(field, "_id"))
}

// FormatDay writes a YYYY-MM-DD date as "7 Jan 2025"; anything else is
// returned as it is.
func FormatDay(date string) string {
	t, err := time.Parse(DateLayout, date)
	if err != nil {
		return date
	}
	return t.Format("2 Jan 2006")
}

// FormatMoment writes an instant of negotiation time for readers: a day
// alone when it is the start of a day, else the day and time, in UTC.
func FormatMoment(t time.Time) string {
	t = t.UTC()
	if t.Equal(t.Truncate(24 * time.Hour)) {
		return t.Format("2 Jan 2006")
	}
	return t.Format("2 Jan 2006, 15:04 UTC")
}

// Excerpt is the start of a long text for a list or a cell: at most n
// runes, cut after the last whole word that fits, with white space runs
// made single. ok is false when the text fits whole (and is returned so).
func Excerpt(s string, n int) (excerpt string, cut bool) {
	if utf8.RuneCountInString(s) <= n {
		return s, false
	}
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r), false
	}
	head := string(r[:n])
	if i := strings.LastIndexByte(head, ' '); i > n/2 {
		head = head[:i]
	}
	return strings.TrimRight(head, " ,;:.–—-"), true
}

// Quoted puts text a user typed in curly quotes, cut short to n runes.
func Quoted(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > n {
		s = strings.TrimSpace(string([]rune(s)[:n-1])) + "…"
	}
	return "“" + s + "”"
}

// PersonText writes a person as "Name, title": "Rustem Umerov, Defence
// Minister". Every view and report names people this way, so that a
// title never runs into the name before it and a title in brackets
// ("Special Envoy (designate)") is never nested in more brackets.
func PersonText(name, title string) string {
	name, title = strings.TrimSpace(name), strings.TrimSpace(title)
	switch {
	case name == "":
		return title
	case title == "":
		return name
	}
	return name + ", " + title
}

// PeopleText writes a list of people as PersonText does, separated by
// semicolons since each may hold a comma: "Rustem Umerov, Defence
// Minister; Serhiy Kyslytsya".
func PeopleText(members []Member) string {
	parts := make([]string, len(members))
	for i, m := range members {
		parts[i] = PersonText(m.Name, m.Title)
	}
	return strings.Join(parts, "; ")
}

// Possessive writes "Russia's", or "United States'" for a name ending in s.
func Possessive(name string) string {
	if strings.HasSuffix(name, "s") {
		return name + "'"
	}
	return name + "'s"
}

// plural writes "1 source", "3 sources".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
