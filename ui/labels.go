package ui

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/parley/parley/domain"
)

// The one place that turns the API's field names into the labels the
// forms show, so that every message a page shows names a field as the
// form does: "Ends on is before Starts on", never "is before starts_on".

// Labels of the "When did this take effect?" block, which no form spec
// lists.
const (
	labelEffectiveOn     = "Took effect on"
	labelEffectiveRound  = "Round"
	labelChangeNote      = "Why"
	labelChangeCitations = "Source of the move"
	labelCitation        = "Source"
)

var datingLabels = map[string]string{
	domain.FieldEffectiveOn:     labelEffectiveOn,
	fieldEffectiveRound:         labelEffectiveRound,
	domain.FieldChangeNote:      labelChangeNote,
	domain.FieldChangeCitations: labelChangeCitations,
}

// entryLabels name the rows of a list field, by the list's name.
var entryLabels = map[string]string{
	"citations":                 labelCitation,
	domain.FieldChangeCitations: labelChangeCitations,
	"participants":              "Participant",
	"members":                   "Member",
	"aliases":                   "Alias",
}

// fieldPath splits "citations[2].url" into "citations", 2 and "url".
var fieldPath = regexp.MustCompile(`^(\w+)\[(\d+)\](?:\.(\w+))?$`)

// labelFor names a field of kind k's form as the form labels it: its own
// inputs by their labels, the dating block's, the rows of lists ("Source
// 2, URL", "Participant 1, Party"), terms by their label ("Terms,
// duration days"); anything else by its name in words, capitalised.
func labelFor(k domain.Kind, field string) string {
	if field == "" {
		return ""
	}
	if l, ok := datingLabels[field]; ok {
		return l
	}
	if f, ok := specOf(k, field); ok {
		return f.Label
	}
	if key, ok := strings.CutPrefix(field, "terms."); ok {
		label, _ := domain.TermLabel(key)
		return labelFor(k, "terms") + ", " + label
	}
	if m := fieldPath.FindStringSubmatch(field); m != nil {
		row := entryLabels[m[1]]
		if row == "" {
			row = labelFor(k, m[1])
		}
		n, _ := strconv.Atoi(m[2]) // the pattern matched digits
		label := fmt.Sprintf("%s %d", row, n+1)
		if m[3] != "" {
			label += ", " + subLabel(m[1], m[3])
		}
		return label
	}
	return capitalise(domain.FieldLabel(field))
}

// specOf finds the form spec of a field of kind k.
func specOf(k domain.Kind, field string) (fieldSpec, bool) {
	for _, f := range formSpecs[k] {
		if f.Name == field {
			return f, true
		}
	}
	return fieldSpec{}, false
}

// subLabel names a member of a list's row: a citation's inputs by their
// labels, a participant's "party" and "role", a member's "name", "title".
func subLabel(list, member string) string {
	if list == "citations" || list == domain.FieldChangeCitations {
		for _, f := range citationSpecs {
			if f.Name == member {
				return f.Label
			}
		}
	}
	return domain.FieldLabel(member)
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// snakeWord finds the field names a message may mention: words joined by
// underscores, as the API writes them.
var snakeWord = regexp.MustCompile(`\b[a-z]+(?:_[a-z]+)+\b`)

// inLabels rewrites a message for kind k's form: the field names it
// mentions ("is before starts_on") become the form's labels ("is before
// Starts on"). Only names of the form's own fields are replaced, so a
// value a user typed is left as it is.
func inLabels(k domain.Kind, msg string) string {
	return snakeWord.ReplaceAllStringFunc(msg, func(w string) string {
		if _, ok := specOf(k, w); ok {
			return labelFor(k, w)
		}
		if l, ok := datingLabels[w]; ok {
			return l
		}
		return w
	})
}

// predicates start the messages that read on from a field's label as one
// sentence: "Title is required", "Ends on is before Starts on".
var predicates = []string{"is ", "must ", "has ", "names ", "cannot ", "refers ", "objects ", "needs "}

// separator joins a label and a message in the summary above a form: a
// space where the message reads on from the label as one sentence, else
// a colon.
func separator(label, msg string) string {
	if label == "" {
		return ""
	}
	for _, p := range predicates {
		if strings.HasPrefix(msg, p) {
			return " "
		}
	}
	return ": "
}
