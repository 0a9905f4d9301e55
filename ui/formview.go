package ui

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/parley/parley/domain"
)

type option struct {
	Value    string
	Label    string
	Selected bool
}

// fieldView is one input ready to render: its value as typed, its options
// and the errors that belong beside it.
type fieldView struct {
	fieldSpec
	InputName    string
	ID           string
	Value        string
	Display      string // what a hidden reference names, shown as text
	Placeholder  string
	Errors       []string
	Options      []option
	Participants []participantRow
	Citations    []citationView
	// NoSource: a claim's sources, none given yet, which the form warns
	// of without refusing.
	NoSource bool
	// TermInputs are the typed inputs of the terms the demand's topic
	// defines, shown above the free terms.
	TermInputs []termInput
	// Existing links the record this field's value duplicates.
	Existing *existingLink
}

type participantRow struct {
	Index   int
	PartyID string // the inputs' ids
	RoleID  string
	Parties []option
	Roles   []option
	Errors  []string
}

type citationView struct {
	Index  int
	Legend string
	Fields []fieldView
}

// errorLink is one entry of the summary above a refused form, linking to the
// input it is about.
type errorLink struct {
	Anchor  string
	Label   string
	Sep     string // between Label and Message: " " or ": "
	Message string
}

// formContext is what a form's reference selects offer: the negotiation it
// belongs to and everything in it, and every party for participant rows.
type formContext struct {
	Snapshot   *domain.Snapshot
	AllParties []*domain.Party
	// Conflict is the existing record a refused duplicate collides with,
	// linked beside ConflictField.
	Conflict      *domain.Conflicting
	ConflictField string
}

// noteConflict keeps the record a duplicate collides with, if err names one.
func (fc *formContext) noteConflict(err error) {
	var ce *domain.ConflictError
	if errors.As(err, &ce) && ce.With != nil {
		fc.Conflict, fc.ConflictField = ce.With, ce.Field
	}
}

// existingLink points from a refused field to the record it duplicates.
type existingLink struct {
	URL   string
	Label string
}

// existingFor links the record a duplicate collides with beside the input
// named name, when that input holds the field refused.
func existingFor(name string, fc formContext) *existingLink {
	if fc.Conflict == nil || (fc.ConflictField != name && !strings.HasPrefix(fc.ConflictField, name+"[")) {
		return nil
	}
	return &existingLink{
		URL:   "/" + string(fc.Conflict.Kind) + "/" + url.PathEscape(fc.Conflict.ID) + "/edit",
		Label: "Open the existing " + fc.Conflict.Kind.Singular() + ": " + fc.Conflict.Name,
	}
}

// errorPool hands each field error to the input it is about, once, and
// keeps the summary; what no input claims is listed on its own.
type errorPool struct {
	kind    domain.Kind
	errs    domain.FieldErrors
	used    []bool
	summary []errorLink
}

func newErrorPool(k domain.Kind, errs domain.FieldErrors) *errorPool {
	return &errorPool{kind: k, errs: errs, used: make([]bool, len(errs))}
}

// take claims the errors whose field matches, rewording each with describe.
func (p *errorPool) take(anchor, label string, match func(field string) bool, describe func(field, msg string) string) []string {
	var out []string
	for i, e := range p.errs {
		if p.used[i] || !match(e.Field) {
			continue
		}
		p.used[i] = true
		msg := inLabels(p.kind, e.Message)
		if describe != nil {
			msg = describe(e.Field, msg)
		}
		out = append(out, msg)
		p.summary = append(p.summary, errorLink{Anchor: anchor, Label: label, Sep: separator(label, msg), Message: msg})
	}
	return out
}

func exactly(name string) func(string) bool {
	return func(f string) bool { return f == name }
}

// rest lists the errors no input claimed, e.g. a problem with the whole form.
func (p *errorPool) rest() []errorLink {
	var out []errorLink
	for i, e := range p.errs {
		if !p.used[i] {
			label, msg := labelFor(p.kind, e.Field), inLabels(p.kind, e.Message)
			out = append(out, errorLink{Label: label, Sep: separator(label, msg), Message: msg})
		}
	}
	return out
}

func inputID(name string) string {
	r := strings.NewReplacer("[", "-", "]", "", ".", "-", "_", "-")
	return "f-" + r.Replace(name)
}

var indexPattern = regexp.MustCompile(`^\w+\[(\d+)\](?:\.(\w+))?`)

// entryNumber is the 1-based row of an error field like "members[2].name".
func entryNumber(field string) (int, string) {
	m := indexPattern.FindStringSubmatch(field)
	if m == nil {
		return 0, ""
	}
	n, _ := strconv.Atoi(m[1])
	return n + 1, m[2]
}

// fieldViews prepares every input of kind k's form with its value, options
// and errors. The pool keeps the errors no input claimed.
func fieldViews(k domain.Kind, st formState, fc formContext, pool *errorPool) []fieldView {
	var out []fieldView
	for _, f := range formSpecs[k] {
		fv := fieldView{fieldSpec: f, InputName: f.Name, ID: inputID(f.Name), Value: st.Values[f.Name]}
		if f.Type == inDate {
			fv.Placeholder = dayPlaceholder
		}
		switch f.Type {
		case inLines, inMembers, inTermDefs, inBlocMembers:
			noun := map[string]string{inLines: "entry", inMembers: "member", inTermDefs: "line", inBlocMembers: "member"}[f.Type]
			if f.Type == inBlocMembers {
				fv.Options = partyNameOptions(fc.AllParties)
			}
			fv.Errors = pool.take(fv.ID, f.Label, func(e string) bool {
				return e == f.Name || strings.HasPrefix(e, f.Name+"[")
			}, func(e, msg string) string {
				if n, sub := entryNumber(e); n > 0 {
					if sub != "" {
						return fmt.Sprintf("%s %d: %s %s", noun, n, enumLabel(sub), msg)
					}
					return fmt.Sprintf("%s %d: %s", noun, n, msg)
				}
				return msg
			})
		case inTerms:
			termInputs(&fv, st, demandTopic(st, fc), pool)
			fv.Errors = pool.take(fv.ID, f.Label, func(e string) bool {
				return e == f.Name || strings.HasPrefix(e, f.Name+".")
			}, func(e, msg string) string {
				if name, ok := strings.CutPrefix(e, f.Name+"."); ok {
					label, _ := domain.TermLabel(name)
					return label + separator(label, msg) + msg
				}
				return msg
			})
		case inParticipants:
			fv.Participants = participantRows(st.Participants, fc, pool)
			fv.Errors = pool.take(fv.ID, f.Label, exactly(f.Name), nil)
		case inCitations:
			fv.Citations = citationViews(f.Name, "Source", st.Citations, pool)
			fv.NoSource = len(st.Citations) == 0
			fv.Errors = pool.take(fv.ID, f.Label, exactly(f.Name), nil)
		default:
			fv.Options = selectOptions(f, fv.Value, fc)
			if f.Type == inHidden {
				fv.Display = refDisplay(f.Name, fv.Value, fc)
			}
			fv.Errors = pool.take(fv.ID, f.Label, exactly(f.Name), nil)
		}
		fv.Existing = existingFor(f.Name, fc)
		out = append(out, fv)
	}
	return out
}

func participantRows(ps []domain.Participant, fc formContext, pool *errorPool) []participantRow {
	rows := make([]participantRow, 0, len(ps)+blankParticipantRows)
	all := append(append([]domain.Participant{}, ps...), make([]domain.Participant, blankParticipantRows)...)
	for i, p := range all {
		pre := fmt.Sprintf("participants[%d].", i)
		row := participantRow{Index: i, PartyID: inputID(pre + "party_id"), RoleID: inputID(pre + "role")}
		row.Parties = []option{{Value: "", Label: "— choose a party —"}}
		for _, party := range fc.AllParties {
			row.Parties = append(row.Parties, option{Value: party.ID, Label: party.Name, Selected: party.ID == p.PartyID})
		}
		if p.PartyID != "" && !hasOption(row.Parties, p.PartyID) {
			row.Parties = append(row.Parties, option{Value: p.PartyID, Label: "unknown party " + p.PartyID, Selected: true})
		}
		row.Roles = []option{{Value: "", Label: "— role —"}}
		for _, r := range domain.ParticipantRoles().Values() {
			row.Roles = append(row.Roles, option{Value: string(r), Label: enumLabel(string(r)), Selected: r == p.Role})
		}
		party, role := pre+"party_id", pre+"role"
		row.Errors = append(row.Errors, pool.take(row.PartyID, labelFor(pool.kind, party), exactly(party), nil)...)
		row.Errors = append(row.Errors, pool.take(row.RoleID, labelFor(pool.kind, role), exactly(role), nil)...)
		rows = append(rows, row)
	}
	return rows
}

// citationViews prepares the citation fieldsets named "field[i].…": the
// filled ones and a spare; label names each in the error summary.
func citationViews(field, label string, cs []map[string]string, pool *errorPool) []citationView {
	all := append(append([]map[string]string{}, cs...), make([]map[string]string, blankCitations)...)
	out := make([]citationView, 0, len(all))
	for i, c := range all {
		cv := citationView{Index: i, Legend: fmt.Sprintf("%s %d", label, i+1)}
		for _, f := range citationSpecs {
			name := fmt.Sprintf("%s[%d].%s", field, i, f.Name)
			fv := fieldView{fieldSpec: f, InputName: name, ID: inputID(name), Value: c[f.Name]}
			fv.Options = selectOptions(f, fv.Value, formContext{})
			fv.Errors = pool.take(fv.ID, fmt.Sprintf("%s %d, %s", label, i+1, f.Label), exactly(name), nil)
			cv.Fields = append(cv.Fields, fv)
		}
		out = append(out, cv)
	}
	return out
}

func hasOption(opts []option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

// selectOptions lists a select's choices with the current value selected.
// A value that is no longer among them (a deleted topic, say) stays listed
// so that what was typed is never silently dropped.
func selectOptions(f fieldSpec, value string, fc formContext) []option {
	if f.Type != inSelect {
		return nil
	}
	var opts []option
	if f.Optional || f.Ref != "" {
		blank := "— none —"
		if f.Required {
			blank = "— choose —"
		}
		opts = append(opts, option{Value: "", Label: blank})
	}
	for _, e := range f.Enum {
		label := enumLabel(e)
		if f.Name == "category" {
			label = domain.CategoryLabel(e)
		}
		opts = append(opts, option{Value: e, Label: label})
	}
	if s := fc.Snapshot; s != nil {
		switch f.Ref {
		case refParticipant:
			names := partyNames(s)
			for _, p := range s.Negotiation.Participants {
				opts = append(opts, option{Value: p.PartyID, Label: names[p.PartyID] + " (" + enumLabel(string(p.Role)) + ")"})
			}
		case refTopic:
			for _, t := range s.Topics {
				opts = append(opts, option{Value: t.ID, Label: t.Title})
			}
		case refRound:
			for _, r := range s.Rounds {
				opts = append(opts, option{Value: r.ID, Label: r.Title + " (" + domain.FormatDay(r.StartsOn) + ")"})
			}
		case refDemand:
			names := partyNames(s)
			ds := append([]*domain.Demand{}, s.Demands...)
			sort.SliceStable(ds, func(i, j int) bool { return names[ds[i].PartyID] < names[ds[j].PartyID] })
			for _, d := range ds {
				opts = append(opts, option{Value: d.ID, Label: names[d.PartyID] + ": " + d.Title})
			}
		case refObjection:
			opts = append(opts, objectionOptions(s)...)
		}
	}
	found := false
	for i := range opts {
		if opts[i].Value == value {
			opts[i].Selected = true
			found = true
		}
	}
	if !found && value != "" {
		opts = append(opts, option{Value: value, Label: value, Selected: true})
	}
	return opts
}

// objectionOptions lists a negotiation's objections as "Russia objects to
// Ukraine: 30-day ceasefire — grounds", by objecting party.
func objectionOptions(s *domain.Snapshot) []option {
	names := partyNames(s)
	demands := make(map[string]*domain.Demand, len(s.Demands))
	for _, d := range s.Demands {
		demands[d.ID] = d
	}
	os := append([]*domain.Objection{}, s.Objections...)
	sort.SliceStable(os, func(i, j int) bool { return names[os[i].PartyID] < names[os[j].PartyID] })
	var out []option
	for _, o := range os {
		label := names[o.PartyID] + " objects"
		if d := demands[o.DemandID]; d != nil {
			label += " to " + names[d.PartyID] + ": " + d.Title
		}
		out = append(out, option{Value: o.ID, Label: label + " — " + shortText(o.Grounds, 60)})
	}
	return out
}

// refDisplay names what a hidden reference points at.
func refDisplay(field, id string, fc formContext) string {
	if field == "negotiation_id" && fc.Snapshot != nil && fc.Snapshot.Negotiation != nil && fc.Snapshot.Negotiation.ID == id {
		return fc.Snapshot.Negotiation.Title
	}
	return id
}

func partyNames(s *domain.Snapshot) map[string]string {
	names := make(map[string]string, len(s.Parties))
	for _, p := range s.Parties {
		names[p.ID] = p.Name
	}
	return names
}

// fieldText writes one field of a form as typed, for reading side by
// side with another version of it: selects by their option's label,
// participants and sources one per line.
func fieldText(f fieldSpec, st formState, fc formContext) string {
	switch f.Type {
	case inParticipants:
		var ls []string
		for _, p := range st.Participants {
			name := p.PartyID
			for _, party := range fc.AllParties {
				if party.ID == p.PartyID {
					name = party.Name
				}
			}
			ls = append(ls, name+" — "+enumLabel(string(p.Role)))
		}
		return strings.Join(ls, "\n")
	case inCitations:
		return citationsText(st.Citations)
	}
	text := st.Values[f.Name]
	for _, o := range selectOptions(f, text, fc) {
		if o.Value == text && text != "" {
			text = o.Label
		}
	}
	return text
}

// citationsText writes citation rows as typed, one per line.
func citationsText(cs []map[string]string) string {
	var ls []string
	for _, c := range cs {
		var parts []string
		for _, cf := range citationSpecs {
			if v := strings.TrimSpace(c[cf.Name]); v != "" {
				parts = append(parts, cf.Label+": "+v)
			}
		}
		ls = append(ls, strings.Join(parts, "; "))
	}
	return strings.Join(ls, "\n")
}

// DescribedBy links an input to its help and error text for screen readers.
func (f fieldView) DescribedBy() string {
	var ids []string
	if f.Help != "" {
		ids = append(ids, f.ID+"-help")
	}
	if len(f.Errors) > 0 {
		ids = append(ids, f.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// Multiline reports whether the field is a textarea.
func (f fieldView) Multiline() bool {
	switch f.Type {
	case inTextarea, inLines, inMembers, inTerms, inTermDefs, inBlocMembers:
		return true
	}
	return false
}

// Rows is a textarea's height, enough for what it holds.
func (f fieldView) Rows() int {
	n := strings.Count(f.Value, "\n") + 2
	if n < 3 {
		n = 3
	}
	if n > 20 {
		n = 20
	}
	return n
}

// HTMLType is the input's type attribute. A day is text (see dayHelp).
func (f fieldView) HTMLType() string {
	switch f.Type {
	case inNumber, inURL:
		return f.Type
	}
	return "text"
}
