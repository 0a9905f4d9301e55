package domain

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Term types a topic may define: what kind of value every party's demands
// give for the term, and so how the values are read, stored and compared.
const (
	TermTypeNumber  = "number"
	TermTypeMoney   = "money"
	TermTypePercent = "percent"
	TermTypeBoolean = "boolean"
	TermTypeChoice  = "choice"
	TermTypeDate    = "date"
	TermTypeText    = "text"
)

// termTypes are the term types in the order forms offer them.
var termTypes = enumOf(TermTypeNumber, TermTypeMoney, TermTypePercent, TermTypeBoolean, TermTypeChoice, TermTypeDate, TermTypeText)

// TermTypes lists the term types in the order forms offer them.
func TermTypes() Enum[string] { return termTypes }

// Limits on term definitions.
const (
	MaxTermDefinitions = 50
	MaxTermChoices     = 50
	MaxTermUnit        = 40
)

// TermDefinition names a term every party's demands on a topic are
// compared on: "duration_days", a number of days; "unconditional", yes or
// no; "exchange", one of a few choices.
type TermDefinition struct {
	Key      string   `json:"key"`
	Label    string   `json:"label,omitempty"`
	Type     string   `json:"type"`
	Unit     string   `json:"unit,omitempty"`
	Currency string   `json:"currency,omitempty"`
	Choices  []Choice `json:"choices,omitempty"`
}

// Choice is one value a choice term may take: a stable key stored in
// demands and a label readers see.
type Choice struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// termKeyPattern keeps keys the kind of name a spreadsheet column, a URL
// and a JSON client all take without quoting.
var termKeyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// currencyPattern is an ISO 4217 code.
var currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)

// DisplayLabel is the term's label, or its key in words.
func (d TermDefinition) DisplayLabel() string {
	if d.Label != "" {
		return d.Label
	}
	return Humanize(d.Key)
}

// Heading names the term with its unit or currency, for a column or a row:
// "Ceasefire duration (days)".
func (d TermDefinition) Heading() string {
	switch {
	case d.Type == TermTypeNumber && d.Unit != "":
		return d.DisplayLabel() + " (" + d.Unit + ")"
	case d.Type == TermTypeMoney && d.Currency != "":
		return d.DisplayLabel() + " (" + d.Currency + ")"
	case d.Type == TermTypePercent:
		return d.DisplayLabel() + " (%)"
	}
	return d.DisplayLabel()
}

// ChoiceLabel is the label of the choice with key k, k itself if none.
func (d TermDefinition) ChoiceLabel(k string) string {
	for _, c := range d.Choices {
		if c.Key == k {
			return c.Label
		}
	}
	return k
}

// Compared reports whether the matrix lines the term's values up as
// numbers (min, max, gap) rather than as a split.
func (d TermDefinition) Compared() bool {
	return d.Type == TermTypeNumber || d.Type == TermTypeMoney || d.Type == TermTypePercent
}

func normalizeTermDefinitions(defs []TermDefinition) []TermDefinition {
	if defs == nil {
		return []TermDefinition{}
	}
	for i := range defs {
		d := &defs[i]
		for _, s := range []*string{&d.Key, &d.Label, &d.Type, &d.Unit, &d.Currency} {
			trim(s)
		}
		d.Type = strings.ToLower(d.Type)
		d.Currency = strings.ToUpper(d.Currency)
		if d.Choices == nil {
			d.Choices = []Choice{}
		}
		for j := range d.Choices {
			trim(&d.Choices[j].Key)
			trim(&d.Choices[j].Label)
			if d.Choices[j].Label == "" {
				d.Choices[j].Label = Humanize(d.Choices[j].Key)
			}
		}
	}
	return defs
}

// validateTermDefinitions checks every definition, naming the field of
// each problem ("term_definitions[1].type").
func validateTermDefinitions(c *checker, defs []TermDefinition) {
	c.count("term_definitions", len(defs), MaxTermDefinitions)
	seen := map[string]bool{}
	for i, d := range defs {
		f := fmt.Sprintf("term_definitions[%d]", i)
		switch {
		case d.Key == "":
			c.errs.Add(f+".key", "is required")
		case utf8.RuneCountInString(d.Key) > MaxTermKey || !termKeyPattern.MatchString(d.Key):
			c.errs.Add(f+".key", "must be 1 to %d lower-case letters, digits and underscores, starting with a letter", MaxTermKey)
		case seen[d.Key]:
			c.errs.Add(f+".key", "%q is defined twice", d.Key)
		}
		seen[d.Key] = true
		c.text(f+".label", d.Label, MaxName, false)
		if d.Type == "" {
			c.errs.Add(f+".type", "is required")
		} else if !TermTypes().Has(d.Type) {
			c.errs.Add(f+".type", "must be one of %s", TermTypes().String())
		}
		c.text(f+".unit", d.Unit, MaxTermUnit, false)
		if d.Unit != "" && d.Type != TermTypeNumber {
			c.errs.Add(f+".unit", "is only for number terms")
		}
		switch {
		case d.Currency != "" && d.Type != TermTypeMoney:
			c.errs.Add(f+".currency", "is only for money terms")
		case d.Currency != "" && !currencyPattern.MatchString(d.Currency):
			c.errs.Add(f+".currency", "must be an ISO 4217 code such as USD or EUR")
		}
		validateChoices(c, f, d)
	}
}

func validateChoices(c *checker, f string, d TermDefinition) {
	if d.Type != TermTypeChoice {
		if len(d.Choices) > 0 {
			c.errs.Add(f+".choices", "are only for choice terms")
		}
		return
	}
	if len(d.Choices) < 2 {
		c.errs.Add(f+".choices", "a choice term needs at least two choices")
	}
	c.count(f+".choices", len(d.Choices), MaxTermChoices)
	keys, labels := map[string]bool{}, map[string]bool{}
	for j, ch := range d.Choices {
		cf := fmt.Sprintf("%s.choices[%d]", f, j)
		switch {
		case ch.Key == "":
			c.errs.Add(cf+".key", "is required")
		case utf8.RuneCountInString(ch.Key) > MaxTermKey || !termKeyPattern.MatchString(ch.Key):
			c.errs.Add(cf+".key", "must be lower-case letters, digits and underscores, starting with a letter")
		case keys[ch.Key]:
			c.errs.Add(cf+".key", "%q is a choice twice", ch.Key)
		}
		keys[ch.Key] = true
		c.text(cf+".label", ch.Label, MaxName, false)
		if l := strings.ToLower(ch.Label); labels[l] {
			c.errs.Add(cf+".label", "%q labels two choices", ch.Label)
		} else {
			labels[l] = true
		}
	}
}

// TermDefinitionByKey finds a topic's definition of a term.
func (t *Topic) TermDefinitionByKey(key string) (TermDefinition, bool) {
	for _, d := range t.TermDefinitions {
		if d.Key == key {
			return d, true
		}
	}
	return TermDefinition{}, false
}

// NormalizeTerms reads every term a definition covers into its stored
// form (see ParseTermValue) and keeps the others as given: they are free
// terms, shown but not compared. It returns a new map, and one error per
// term that does not fit, on "terms.KEY".
func NormalizeTerms(defs []TermDefinition, terms map[string]any) (map[string]any, FieldErrors) {
	var errs FieldErrors
	out := make(map[string]any, len(terms))
	for k, v := range terms {
		out[k] = v
	}
	for _, d := range defs {
		v, ok := terms[d.Key]
		if !ok {
			continue
		}
		stored, err := ParseTermValue(d, v)
		if err != nil {
			errs.Add("terms."+d.Key, "%s", err.Error())
			continue
		}
		out[d.Key] = stored
	}
	return out, errs
}
