package ui

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/parley/parley/domain"
)

// formState is what a form holds, exactly as typed: it is re-rendered
// unchanged when the server refuses it.
type formState struct {
	Values       map[string]string
	Participants []domain.Participant
	Citations    []map[string]string
	// ChangeCitations is the source of the move, in the dating block.
	ChangeCitations []map[string]string
}

// parseForm reads a posted form of kind k. Rows left wholly empty (the
// spare participant rows and citation fieldsets) are dropped, so that error
// indexes match the rows rendered again.
func parseForm(k domain.Kind, form url.Values) formState {
	st := formState{Values: map[string]string{}}
	for _, f := range formSpecs[k] {
		switch f.Type {
		case inParticipants:
			for i := 0; i < domain.MaxList*2; i++ {
				pre := fmt.Sprintf("participants[%d].", i)
				_, hasParty := form[pre+"party_id"]
				_, hasRole := form[pre+"role"]
				if !hasParty && !hasRole {
					break
				}
				p := domain.Participant{PartyID: strings.TrimSpace(form.Get(pre + "party_id")), Role: domain.ParticipantRole(strings.TrimSpace(form.Get(pre + "role")))}
				if p.PartyID != "" || p.Role != "" {
					st.Participants = append(st.Participants, p)
				}
			}
		case inCitations:
			st.Citations = parseCitationRows(form, f.Name)
		default:
			st.Values[f.Name] = form.Get(f.Name)
		}
	}
	if dated(k) {
		parseDatingFields(&st, form)
	}
	return st
}

// parseCitationRows reads the citation fieldsets named "field[i].…",
// dropping those left wholly empty.
func parseCitationRows(form url.Values, field string) []map[string]string {
	var rows []map[string]string
	for i := 0; i < domain.MaxList*2; i++ {
		pre := fmt.Sprintf("%s[%d].", field, i)
		c := map[string]string{}
		present, filled := false, false
		for _, cf := range citationSpecs {
			if v, ok := form[pre+cf.Name]; ok {
				present = true
				c[cf.Name] = v[0]
				if strings.TrimSpace(v[0]) != "" {
					filled = true
				}
			}
		}
		if !present {
			break
		}
		if filled {
			rows = append(rows, c)
		}
	}
	return rows
}

var memberSeparator = regexp.MustCompile(`\s+[—–-]\s+|\s*[—–]\s*`)

// build turns a form into a resource of kind k through domain.Decode, the
// same strict reader the API uses. Problems the form itself can tell (a term
// line without "=", a sort order that is not a number) are returned as field
// errors alongside the resource's own validation.
func (st formState) build(k domain.Kind) (domain.Resource, domain.FieldErrors) {
	var errs domain.FieldErrors
	doc := map[string]any{}
	for _, f := range formSpecs[k] {
		raw := st.Values[f.Name]
		switch f.Type {
		case inDate:
			day, err := formDay(raw)
			if err != nil {
				errs.Add(f.Name, "%s", err.Error())
			}
			doc[f.Name] = day
		case inNumber:
			if s := strings.TrimSpace(raw); s != "" {
				n, err := strconv.Atoi(s)
				if err != nil {
					errs.Add(f.Name, "must be a whole number")
					continue
				}
				doc[f.Name] = n
			}
		case inLines:
			doc[f.Name] = lines(raw)
		case inMembers:
			members := []map[string]string{}
			for _, l := range lines(raw) {
				parts := memberSeparator.Split(l, 2)
				m := map[string]string{"name": strings.TrimSpace(parts[0])}
				if len(parts) == 2 {
					m["title"] = strings.TrimSpace(parts[1])
				}
				members = append(members, m)
			}
			doc[f.Name] = members
		case inTerms:
			terms, order, termErrs := parseTerms(raw)
			errs = append(errs, termErrs...)
			doc[f.Name] = terms
			doc["term_order"] = order // the lines' order, which the map forgets
		case inParticipants:
			doc[f.Name] = st.Participants
		case inCitations:
			cs := make([]map[string]string, len(st.Citations))
			for i, c := range st.Citations {
				cs[i] = withPublishedDay(c)
			}
			doc[f.Name] = cs
		default:
			doc[f.Name] = raw
		}
	}
	body, err := json.Marshal(doc)
	if err != nil {
		errs.Add("", "the form could not be read")
		return nil, errs
	}
	r, _, err := domain.Decode(k, body)
	if err != nil {
		errs = append(errs, fieldErrors(err)...)
		return nil, errs
	}
	r.Normalize()
	// A field the form already refused (a day it could not read) is not
	// reported again as missing.
	for _, fe := range r.Validate() {
		if errs.On(fe.Field) == "" {
			errs = append(errs, fe)
		}
	}
	return r, errs
}

// formDay reads a day input: "" stays empty, anything else is read by
// domain.ParseDay (10 Jan 2025, 2025/01/10, …) into YYYY-MM-DD. What was
// typed stays in the form state, so a refused day is shown as typed.
func formDay(raw string) (string, error) {
	if strings.TrimSpace(raw) == "" {
		return "", nil
	}
	return domain.ParseDay(raw)
}

// withPublishedDay is a citation row with a published day typed as people
// write it (16 May 2025) put as YYYY-MM-DD; a time or anything else is
// left for validation to judge.
func withPublishedDay(row map[string]string) map[string]string {
	day, err := domain.ParseDay(row["published_at"])
	if err != nil {
		return row
	}
	out := make(map[string]string, len(row))
	for k, v := range row {
		out[k] = v
	}
	out["published_at"] = day
	return out
}

// fieldErrors extracts the field errors of a domain error, if it has any.
func fieldErrors(err error) domain.FieldErrors {
	switch e := err.(type) {
	case *domain.ValidationError:
		return e.Errors
	case *domain.MalformedError:
		if len(e.Errors) > 0 {
			return e.Errors
		}
		return domain.FieldErrors{{Message: e.Detail}}
	}
	return nil
}

func lines(s string) []string {
	out := []string{}
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// parseTerms reads "name = value" lines, and the order of the names.
// Numbers and true/false become JSON numbers and booleans so the matrix can
// line them up; a value in double quotes stays text even if it looks like a
// number.
func parseTerms(raw string) (map[string]any, []string, domain.FieldErrors) {
	var errs domain.FieldErrors
	terms := map[string]any{}
	order := []string{}
	for i, l := range strings.Split(strings.ReplaceAll(raw, "\r\n", "\n"), "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		name, value, ok := strings.Cut(l, "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" {
			errs.Add("terms", "line %d: write each term as name = value", i+1)
			continue
		}
		if _, dup := terms[name]; dup {
			errs.Add("terms", "line %d: the term %q is given twice", i+1, name)
			continue
		}
		terms[name] = termValue(value)
		order = append(order, name)
	}
	return terms, order, errs
}

func termValue(s string) any {
	if len(s) >= 2 && strings.HasPrefix(s, `"`) && strings.HasSuffix(s, `"`) {
		return s[1 : len(s)-1]
	}
	switch strings.ToLower(s) {
	case "true", "yes":
		return true
	case "false", "no":
		return false
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "xXpP_") {
		return n
	}
	return s
}

// formatTermInput writes a term back the way parseTerms reads it.
func formatTermInput(v any) string {
	switch x := v.(type) {
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		// Quote text that would otherwise read back as a number or a boolean.
		if _, plain := termValue(x).(string); !plain || x == "" {
			return `"` + x + `"`
		}
		return x
	}
	return fmt.Sprint(v)
}

// stateOf fills a form from a stored resource, for editing.
func stateOf(r domain.Resource) formState {
	st := formState{Values: map[string]string{}}
	doc, err := domain.ToMap(r)
	if err != nil {
		return st
	}
	for _, f := range formSpecs[r.Kind()] {
		v := doc[f.Name]
		switch f.Type {
		case inLines:
			var ls []string
			for _, a := range asList(v) {
				ls = append(ls, fmt.Sprint(a))
			}
			st.Values[f.Name] = strings.Join(ls, "\n")
		case inMembers:
			var ls []string
			for _, a := range asList(v) {
				m, _ := a.(map[string]any)
				l := str(m["name"])
				if t := str(m["title"]); t != "" {
					l += " — " + t
				}
				ls = append(ls, l)
			}
			st.Values[f.Name] = strings.Join(ls, "\n")
		case inTerms:
			m, _ := v.(map[string]any)
			keys := domain.TermKeys(m)
			if d, ok := r.(*domain.Demand); ok {
				keys = d.OrderedTermKeys()
			}
			var ls []string
			for _, k := range keys {
				ls = append(ls, k+" = "+formatTermInput(m[k]))
			}
			st.Values[f.Name] = strings.Join(ls, "\n")
		case inParticipants:
			for _, a := range asList(v) {
				m, _ := a.(map[string]any)
				st.Participants = append(st.Participants, domain.Participant{PartyID: str(m["party_id"]), Role: domain.ParticipantRole(str(m["role"]))})
			}
		case inCitations:
			for _, a := range asList(v) {
				m, _ := a.(map[string]any)
				c := map[string]string{}
				for _, cf := range citationSpecs {
					c[cf.Name] = str(m[cf.Name])
				}
				if _, day := domain.DayStart(c["published_at"]); day {
					// Shown as every page shows a day; read back by withPublishedDay.
					c["published_at"] = domain.FormatDay(c["published_at"])
				}
				st.Citations = append(st.Citations, c)
			}
		case inNumber:
			if n, ok := v.(float64); ok {
				st.Values[f.Name] = strconv.FormatFloat(n, 'f', -1, 64)
			}
		case inDate:
			st.Values[f.Name] = domain.FormatDay(str(v))
		default:
			st.Values[f.Name] = str(v)
		}
	}
	return st
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}
