package ui

import (
	"sort"
	"strings"

	"github.com/parley/parley/domain"
)

// termFieldPrefix names the typed input of a defined term: "term.KEY".
const termFieldPrefix = "term."

// termInput is the typed input of one term the demand's topic defines: a
// number box with its unit, a yes/no select, a select of the choices, a
// date, or a line of text.
type termInput struct {
	Name    string
	ID      string
	Label   string
	Kind    string // "number" (typed as text: "1,500" is fine), "select", "date", "text"
	Unit    string
	Help    string
	Value   string
	Options []option
	Errors  []string
}

// parseTermInputs copies the typed term inputs of a posted form into the
// form state, so that a refused form shows them as typed.
func parseTermInputs(st *formState, form map[string][]string) {
	for name, v := range form {
		if strings.HasPrefix(name, termFieldPrefix) && len(v) > 0 {
			st.Values[name] = v[0]
		}
	}
}

// mergeTermInputs adds the typed term inputs to the terms read from the
// free lines; an emptied input removes its term. A defined term also
// written in the free lines (the form shows it only in its input) keeps
// the line's value: that is the one typed on purpose. The store reads
// each value against the topic's definition.
func mergeTermInputs(values map[string]string, terms map[string]any, order []string) []string {
	lines := make(map[string]bool, len(terms))
	for k := range terms {
		lines[k] = true
	}
	var names []string
	for name := range values {
		if strings.HasPrefix(name, termFieldPrefix) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		key := strings.TrimPrefix(name, termFieldPrefix)
		v := strings.TrimSpace(values[name])
		if _, inLines := lines[key]; inLines {
			continue
		}
		if v == "" {
			delete(terms, key)
			continue
		}
		if _, had := terms[key]; !had {
			order = append(order, key)
		}
		terms[key] = v
	}
	return order
}

// demandTopic is the topic the demand form has chosen, from the form's
// snapshot; nil when none is chosen yet.
func demandTopic(st formState, fc formContext) *domain.Topic {
	if fc.Snapshot == nil {
		return nil
	}
	for _, t := range fc.Snapshot.Topics {
		if t.ID == st.Values["topic_id"] {
			return t
		}
	}
	return nil
}

// termInputs prepares the typed inputs of the topic's defined terms, taking
// a defined term's value out of the free lines (fv.Value) on first render
// so that it is edited in one place.
func termInputs(fv *fieldView, st formState, topic *domain.Topic, pool *errorPool) {
	if topic == nil || len(topic.TermDefinitions) == 0 {
		return
	}
	lines, _, _ := parseTerms(fv.Value)
	// A refused form comes back as the analyst typed it: a defined term
	// written in the free lines stays there (it wins over its input).
	refused := len(pool.errs) > 0
	if refused {
		lines = nil
	} else {
		var kept []string
		for _, l := range strings.Split(fv.Value, "\n") {
			name, _, _ := strings.Cut(l, "=")
			if _, defined := topic.TermDefinitionByKey(strings.TrimSpace(name)); !defined {
				kept = append(kept, l)
			}
		}
		fv.Value = strings.Join(kept, "\n")
	}
	for _, def := range topic.TermDefinitions {
		name := termFieldPrefix + def.Key
		value, typed := st.Values[name]
		if raw, ok := lines[def.Key]; ok && !typed {
			value = termInputValue(def, raw)
		}
		in := typedTermInput(def, inputID("term-"+def.Key), value)
		in.Errors = pool.take(in.ID, in.Label, exactly("terms."+def.Key), nil)
		fv.TermInputs = append(fv.TermInputs, in)
	}
}

// typedTermInput is the input of one defined term, with its id and the
// value it shows (as typed, or as termInputValue writes a stored one).
func typedTermInput(def domain.TermDefinition, id, value string) termInput {
	in := termInput{Name: termFieldPrefix + def.Key, ID: id, Label: def.DisplayLabel(), Unit: def.Unit, Help: def.Expected(), Value: value}
	switch def.Type {
	case domain.TermTypeBoolean:
		in.Kind, in.Options = "select", markSelected(in.Value, []option{{"", "—", false}, {"yes", "yes", false}, {"no", "no", false}})
	case domain.TermTypeChoice:
		opts := []option{{"", "—", false}}
		for _, c := range def.Choices {
			opts = append(opts, option{Value: c.Key, Label: c.Label})
		}
		in.Kind, in.Options = "select", markSelected(in.Value, opts)
	case domain.TermTypeDate:
		in.Kind = "date"
	case domain.TermTypeNumber, domain.TermTypePercent, domain.TermTypeMoney:
		in.Kind = "number"
		if def.Type == domain.TermTypePercent {
			in.Unit = "%"
		}
		if def.Type == domain.TermTypeMoney {
			in.Unit = def.Currency
		}
	default:
		in.Kind = "text"
	}
	return in
}

// normalizeFormTerms reads a demand form's defined terms as the store will
// (the typed input "60" is the stored 60), so that the form's changes are
// judged against what is stored: a value merely shown back in its input is
// no change. Values that do not fit are left for the store to name.
func normalizeFormTerms(d *domain.Demand, topic *domain.Topic) {
	if topic == nil || len(topic.TermDefinitions) == 0 {
		return
	}
	if terms, bad := domain.NormalizeTerms(topic.TermDefinitions, d.Terms); len(bad) == 0 {
		d.Terms = terms
	}
}

// termInputValue writes a stored or typed value into its typed input.
func termInputValue(def domain.TermDefinition, raw any) string {
	stored, err := domain.ParseTermValue(def, raw)
	if err != nil {
		return formatTermInput(raw)
	}
	switch v := stored.(type) {
	case bool:
		return map[bool]string{true: "yes", false: "no"}[v]
	case map[string]any:
		return domain.FormatTerm(v)
	}
	return strings.Trim(formatTermInput(stored), `"`)
}

func markSelected(value string, opts []option) []option {
	for i := range opts {
		opts[i].Selected = opts[i].Value == value
	}
	return opts
}
