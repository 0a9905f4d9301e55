package domain

import (
	"cmp"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"time"
)

// TermRow lines up one term a topic defines: every value parties' demands
// state for it, and how far apart they are. A row stays while any demand
// states the term, live or not.
type TermRow struct {
	TopicID  string `json:"topic_id"`
	Key      string `json:"key"`
	Label    string `json:"label"`
	Type     string `json:"type"`
	Unit     string `json:"unit"`
	Currency string `json:"currency"`
	// Values holds one value per demand that states the term, in the
	// columns' order, then stated order.
	Values []TermRowValue `json:"values"`
	// Ranges holds, for number, percent and date terms, one range; for
	// money, one per currency stated; empty for the others.
	Ranges []TermRange `json:"ranges"`
	// Min, Max, Gap, MinPartyIDs and MaxPartyIDs repeat the only range,
	// for clients that read one; null where there is none or several.
	Min         any      `json:"min"`
	Max         any      `json:"max"`
	Gap         any      `json:"gap"`
	MinPartyIDs []string `json:"min_party_ids"`
	MaxPartyIDs []string `json:"max_party_ids"`
	// Split holds, for boolean and choice terms, the parties holding each
	// value ("true", "false", a choice key); null for the others.
	Split map[string][]string `json:"split"`
	// SplitOrder lists Split's values in the order first stated, and
	// SplitLabels their words ("yes", a choice's label).
	SplitOrder  []string          `json:"split_order"`
	SplitLabels map[string]string `json:"split_labels"`
}

// TermRowValue is one demand's value of a term. Value is the stored form
// (see ParseTermValue), Text the analyst's form. Position is true for the
// value the range and split count for the party: its latest live one, or
// its latest rejected one when it has none live. Live is false for a value
// from a rejected or withdrawn demand, which the views mark.
type TermRowValue struct {
	PartyID      string `json:"party_id"`
	DemandID     string `json:"demand_id"`
	DemandStatus string `json:"demand_status"`
	Value        any    `json:"value"`
	Text         string `json:"text"`
	Live         bool   `json:"live"`
	Position     bool   `json:"position"`
	// Fits is false for a value that does not fit the definition (stored
	// before the term was defined, seen as of then): shown, not compared.
	Fits bool `json:"fits"`
}

// TermRange is the spread of the parties' positions on an ordered term.
// For numbers and percents Min, Max and Gap are numbers; for money,
// decimal strings of Currency; for dates, dates with SpanDays between.
type TermRange struct {
	Currency    string   `json:"currency"`
	Min         any      `json:"min"`
	Max         any      `json:"max"`
	Gap         any      `json:"gap"`
	MinText     string   `json:"min_text"`
	MaxText     string   `json:"max_text"`
	GapText     string   `json:"gap_text"`
	MinPartyIDs []string `json:"min_party_ids"`
	MaxPartyIDs []string `json:"max_party_ids"`
	SpanDays    *int     `json:"span_days"`
	// IncludesInactive is true when a party's position in the range comes
	// from a rejected demand (it has no live one).
	IncludesInactive bool `json:"includes_inactive"`
}

// BuildTermRows lines up the terms a topic defines over its demands (in
// stated order), for the parties in column order; a demand of a party
// not shown is left out.
func BuildTermRows(t *Topic, demands []*Demand, column map[string]int) []TermRow {
	rows := []TermRow{}
	for _, def := range t.TermDefinitions {
		row := TermRow{TopicID: t.ID, Key: def.Key, Label: def.DisplayLabel(), Type: def.Type, Unit: def.Unit,
			Currency: def.Currency, Values: termRowValues(def, demands, column), Ranges: []TermRange{}}
		if len(row.Values) == 0 {
			continue
		}
		markPositions(row.Values)
		switch def.Type {
		case TermTypeNumber, TermTypePercent:
			row.Ranges = numberRanges(def, row.Values)
		case TermTypeMoney:
			row.Ranges = moneyRanges(def, row.Values)
		case TermTypeDate:
			row.Ranges = dateRanges(row.Values)
		case TermTypeBoolean, TermTypeChoice:
			row.Split, row.SplitOrder, row.SplitLabels = termSplit(def, row.Values)
		}
		if len(row.Ranges) == 1 {
			r := row.Ranges[0]
			row.Min, row.Max, row.Gap, row.MinPartyIDs, row.MaxPartyIDs = r.Min, r.Max, r.Gap, r.MinPartyIDs, r.MaxPartyIDs
		}
		rows = append(rows, row)
	}
	return rows
}

func termRowValues(def TermDefinition, demands []*Demand, column map[string]int) []TermRowValue {
	values := []TermRowValue{}
	for _, d := range demands {
		raw, ok := d.Terms[def.Key]
		if _, shown := column[d.PartyID]; !ok || !shown {
			continue
		}
		v := TermRowValue{PartyID: d.PartyID, DemandID: d.ID, DemandStatus: string(d.State), Value: raw,
			Text: FormatTermValue(def, raw), Live: d.Live()}
		if stored, fits := parseTermValue(def, raw); fits {
			v.Value, v.Fits = stored, true
		}
		values = append(values, v)
	}
	sort.SliceStable(values, func(i, j int) bool { return column[values[i].PartyID] < column[values[j].PartyID] })
	return values
}

// markPositions marks, per party, the value its position is: the latest
// fitting live value, else the latest fitting value of a rejected demand
// (the party still holds what the others rejected). A withdrawn demand's
// value is no position: the party itself left it.
func markPositions(values []TermRowValue) {
	chosen := map[string]int{}
	for i, v := range values {
		if !v.Fits || v.DemandStatus == "withdrawn" {
			continue
		}
		j, seen := chosen[v.PartyID]
		if !seen || v.Live || !values[j].Live {
			chosen[v.PartyID] = i
		}
	}
	for _, i := range chosen {
		values[i].Position = true
	}
}

// extremes records which parties hold a range's minimum and maximum.
type extremes[T any] struct {
	min, max         T
	minIDs, maxIDs   []string
	started, anyDead bool
}

func (e *extremes[T]) add(v T, party string, live bool, cmp func(a, b T) int) {
	e.anyDead = e.anyDead || !live
	if !e.started {
		e.min, e.max, e.minIDs, e.maxIDs, e.started = v, v, []string{party}, []string{party}, true
		return
	}
	switch c := cmp(v, e.min); {
	case c < 0:
		e.min, e.minIDs = v, []string{party}
	case c == 0:
		e.minIDs = appendOnce(e.minIDs, party)
	}
	switch c := cmp(v, e.max); {
	case c > 0:
		e.max, e.maxIDs = v, []string{party}
	case c == 0:
		e.maxIDs = appendOnce(e.maxIDs, party)
	}
}

func appendOnce(ids []string, id string) []string {
	for _, x := range ids {
		if x == id {
			return ids
		}
	}
	return append(ids, id)
}

func numberRanges(def TermDefinition, values []TermRowValue) []TermRange {
	var e extremes[float64]
	for _, v := range values {
		if v.Position {
			e.add(v.Value.(float64), v.PartyID, v.Live, cmp.Compare[float64])
		}
	}
	if !e.started {
		return []TermRange{}
	}
	gap := e.max - e.min
	return []TermRange{{Min: e.min, Max: e.max, Gap: gap,
		MinText: FormatTermValue(def, e.min), MaxText: FormatTermValue(def, e.max), GapText: FormatTermValue(def, gap),
		MinPartyIDs: e.minIDs, MaxPartyIDs: e.maxIDs, IncludesInactive: e.anyDead}}
}

func moneyRanges(def TermDefinition, values []TermRowValue) []TermRange {
	byCurrency := map[string]*extremes[*big.Rat]{}
	var order []string
	for _, v := range values {
		if !v.Position {
			continue
		}
		m, err := MoneyValue(def, v.Value)
		if err != nil {
			continue
		}
		e := byCurrency[m.Currency]
		if e == nil {
			e = &extremes[*big.Rat]{}
			byCurrency[m.Currency] = e
			order = append(order, m.Currency)
		}
		e.add(moneyRat(m), v.PartyID, v.Live, func(a, b *big.Rat) int { return a.Cmp(b) })
	}
	out := []TermRange{}
	for _, cur := range order {
		e := byCurrency[cur]
		lo, hi := ratDecimal(e.min), ratDecimal(e.max)
		gap := ratDecimal(new(big.Rat).Sub(e.max, e.min))
		out = append(out, TermRange{Currency: cur, Min: lo, Max: hi, Gap: gap,
			MinText: FormatMoney(Money{lo, cur}), MaxText: FormatMoney(Money{hi, cur}), GapText: FormatMoney(Money{gap, cur}),
			MinPartyIDs: e.minIDs, MaxPartyIDs: e.maxIDs, IncludesInactive: e.anyDead})
	}
	return out
}

func dateRanges(values []TermRowValue) []TermRange {
	var e extremes[string]
	for _, v := range values {
		if v.Position {
			e.add(v.Value.(string), v.PartyID, v.Live, cmp.Compare[string])
		}
	}
	if !e.started {
		return []TermRange{}
	}
	lo, _ := time.Parse(DateLayout, e.min)
	hi, _ := time.Parse(DateLayout, e.max)
	days := int(hi.Sub(lo).Hours() / 24)
	return []TermRange{{Min: e.min, Max: e.max, Gap: days, MinText: e.min, MaxText: e.max,
		GapText: plural(days, "day", "days"), MinPartyIDs: e.minIDs, MaxPartyIDs: e.maxIDs, SpanDays: &days,
		IncludesInactive: e.anyDead}}
}

// termSplit groups the parties by the value their position holds.
func termSplit(def TermDefinition, values []TermRowValue) (map[string][]string, []string, map[string]string) {
	split := map[string][]string{}
	labels := map[string]string{}
	order := []string{}
	for _, v := range values {
		if !v.Position {
			continue
		}
		key, _ := comparableValue(def, v.Value)
		if s, ok := v.Value.(string); ok {
			key = s
		}
		if _, seen := split[key]; !seen {
			order = append(order, key)
			labels[key] = FormatTermValue(def, v.Value)
		}
		split[key] = appendOnce(split[key], v.PartyID)
	}
	return split, order, labels
}

// TermSpreadText says how far apart a term row's positions are: "gap 300
// trucks/day: lowest Israel (300 trucks/day), highest Hamas (600
// trucks/day)", or "yes: Hamas; no: Israel".
func TermSpreadText(row TermRow, name func(id string) string) string {
	names := func(ids []string) string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = name(id)
		}
		return strings.Join(out, ", ")
	}
	var parts []string
	for _, r := range row.Ranges {
		word, lo, hi := "gap", "lowest", "highest"
		if row.Type == TermTypeDate {
			word, lo, hi = "span", "earliest", "latest"
		}
		p := fmt.Sprintf("%s %s: %s %s (%s), %s %s (%s)", word, r.GapText, lo, names(r.MinPartyIDs), r.MinText, hi, names(r.MaxPartyIDs), r.MaxText)
		if r.MinText == r.MaxText {
			p = fmt.Sprintf("no %s: %s all at %s", word, names(r.MinPartyIDs), r.MinText)
		}
		if r.IncludesInactive {
			p += ", counting a rejected demand"
		}
		parts = append(parts, p)
	}
	for _, k := range row.SplitOrder {
		parts = append(parts, row.SplitLabels[k]+": "+names(row.Split[k]))
	}
	return strings.Join(parts, "; ")
}
