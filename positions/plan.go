package positions

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"github.com/parley/parley/domain"
)

// CellError is one bad cell: the sheet, the spreadsheet's row number (the
// header is row 1) and the column's header.
type CellError struct {
	Sheet   string `json:"sheet"`
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

// ColumnsError is a sheet whose header row cannot be read as the
// contract's: required columns missing, unknown or repeated ones.
type ColumnsError struct {
	Errors []CellError
}

func (e *ColumnsError) Error() string {
	parts := make([]string, len(e.Errors))
	for i, ce := range e.Errors {
		parts[i] = fmt.Sprintf("%s %s: %s", ce.Sheet, ce.Column, ce.Message)
	}
	return "the file's columns are wrong: " + strings.Join(parts, "; ")
}

// Item is one resource an import creates (or, on a dry run, would
// create), with the row it comes from.
type Item struct {
	Sheet    string      `json:"sheet"`
	Row      int         `json:"row"`
	Kind     domain.Kind `json:"kind"`
	ID       string      `json:"id,omitempty"`
	Party    string      `json:"party"`
	Topic    string      `json:"topic,omitempty"`
	Demand   string      `json:"demand,omitempty"`
	Title    string      `json:"title,omitempty"`
	StatedOn string      `json:"stated_on"`
	// Round is the title of the round the row names; Handling its marking
	// as it will be kept ("" for the negotiation's).
	Round    string `json:"round,omitempty"`
	Handling string `json:"handling,omitempty"`
	// Revision is the history revision the create is recorded as;
	// EffectiveAt when it takes effect in the talks.
	Revision    int       `json:"revision,omitempty"`
	EffectiveAt time.Time `json:"effective_at"`

	resource domain.Resource
	dating   domain.Dating
}

// planner turns a workbook's rows into resources, resolving every name
// against the negotiation and collecting every bad cell.
type planner struct {
	negotiationID string
	handling      string // the negotiation's marking, resolved
	now           time.Time
	ix            *index
	dateSerials   bool
	items         []*Item
	errs          []CellError
}

// plan reads every sheet of wb against the negotiation as snap holds it.
func plan(wb *Workbook, snap *domain.Snapshot, now time.Time) ([]*Item, []CellError, error) {
	if wb.Sheets[SheetDemands] == nil && wb.Sheets[SheetObjections] == nil && wb.Sheets[SheetEndorsements] == nil {
		return nil, nil, &ColumnsError{Errors: []CellError{{Sheet: SheetDemands, Row: 1, Column: "",
			Message: "the workbook has no sheet named demands, objections or endorsements"}}}
	}
	var colErrs []CellError
	for _, name := range Sheets {
		if s := wb.Sheets[name]; s != nil {
			colErrs = append(colErrs, checkHeaders(s)...)
		}
	}
	if len(colErrs) > 0 {
		return nil, nil, &ColumnsError{Errors: colErrs}
	}
	p := &planner{negotiationID: snap.Negotiation.ID, handling: domain.ResolveHandling(snap.Negotiation.Handling, ""), now: now, ix: newIndex(snap), dateSerials: wb.dateSerials}
	for _, name := range Sheets {
		s := wb.Sheets[name]
		if s == nil {
			continue
		}
		cols := headerIndex(s.Headers)
		terms := termColumns(s.Headers)
		for _, row := range s.Rows {
			p.row(&rowReader{p: p, sheet: s.Name, cols: cols, termCols: terms, row: row, bad: map[string]bool{}})
		}
	}
	return p.items, p.errs, nil
}

// checkHeaders names each required column missing from a sheet, and each
// header that is no column of it or comes twice.
func checkHeaders(s *Sheet) []CellError {
	var errs []CellError
	seen := map[string]bool{}
	for _, h := range s.Headers {
		f := foldHeader(h)
		switch {
		case f == "":
			if len(s.Rows) > 0 {
				errs = append(errs, CellError{Sheet: s.Name, Row: 1, Column: h, Message: "a column without a header; name it or delete it"})
			}
		case seen[f]:
			errs = append(errs, CellError{Sheet: s.Name, Row: 1, Column: h, Message: "comes twice"})
		case !known(s.Name, f):
			errs = append(errs, CellError{Sheet: s.Name, Row: 1, Column: h,
				Message: "is not a column of " + s.Name + "; the columns are " + strings.Join(Columns(s.Name, []string{"KEY"}), ", ")})
		}
		seen[f] = true
	}
	for _, c := range sheetColumns[s.Name].required {
		if !seen[c] {
			errs = append(errs, CellError{Sheet: s.Name, Row: 1, Column: c, Message: "this required column is missing"})
		}
	}
	return errs
}

// headerIndex maps each folded header to its position.
func headerIndex(headers []string) map[string]int {
	m := make(map[string]int, len(headers))
	for i, h := range headers {
		if f := foldHeader(h); f != "" {
			m[f] = i
		}
	}
	return m
}

// rowReader reads the cells of one row and keeps its bad cells, one
// message per column.
type rowReader struct {
	p        *planner
	sheet    string
	cols     map[string]int
	termCols []string // folded term headers, in the file's order
	row      Row
	bad      map[string]bool
}

func (r *rowReader) cell(col string) string {
	i, ok := r.cols[col]
	if !ok || i >= len(r.row.Cells) {
		return ""
	}
	return strings.TrimSpace(r.row.Cells[i])
}

func (r *rowReader) fail(col, format string, args ...any) {
	if r.bad[col] {
		return
	}
	r.bad[col] = true
	r.p.errs = append(r.p.errs, CellError{Sheet: r.sheet, Row: r.row.Number, Column: col, Message: fmt.Sprintf(format, args...)})
}

// required reads a cell that must not be empty.
func (r *rowReader) required(col string) string {
	v := r.cell(col)
	if v == "" {
		r.fail(col, "is required")
	}
	return v
}

func (r *rowReader) party() *domain.Party {
	name := r.required("party")
	if name == "" {
		return nil
	}
	p, msg := r.p.ix.party(name)
	if p == nil {
		r.fail("party", "%s", msg)
	}
	return p
}

func (r *rowReader) round() string {
	title := r.cell("round")
	if title == "" {
		return ""
	}
	id, msg := r.p.ix.round(title)
	if msg != "" {
		r.fail("round", "%s", msg)
	}
	return id
}

// handling reads a row's marking as people type it ("green",
// "tlp:amber+strict"); an empty cell is the negotiation's marking.
func (r *rowReader) handling() string {
	v := r.cell("handling")
	if v == "" {
		return ""
	}
	m, ok := domain.ParseHandling(v)
	if !ok {
		r.fail("handling", "%q is no handling marking; write one of %s, or leave it empty for the negotiation's (%s)",
			v, strings.Join(domain.HandlingMarkings().Strings(), ", "), r.p.handling)
	}
	return m
}

func (r *rowReader) demand() (demandTarget, bool) {
	cell := r.required("demand")
	if cell == "" {
		return demandTarget{}, false
	}
	d, msg := r.p.ix.demand(cell)
	if msg != "" {
		r.fail("demand", "%s", msg)
		return d, false
	}
	return d, true
}

// enum reads an enumeration as people write it: in any case, with spaces
// or hyphens for underscores ("Under discussion").
func (r *rowReader) enum(col string) string {
	v := strings.ToLower(r.cell(col))
	return strings.NewReplacer(" ", "_", "-", "_").Replace(v)
}

var daySerial = regexp.MustCompile(`^\d{1,6}(\.\d+)?$`)

// day reads a date cell as YYYY-MM-DD: a date as the forms take it, or,
// in an XLSX file, the spreadsheet's day number of a date cell.
func (r *rowReader) day(col string, required bool) string {
	v := r.cell(col)
	if v == "" {
		if required {
			r.fail(col, "is required")
		}
		return ""
	}
	if r.p.dateSerials && daySerial.MatchString(v) {
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			if t, err := excelize.ExcelDateToTime(f, false); err == nil {
				return t.Format(domain.DateLayout)
			}
		}
	}
	d, err := domain.ParseDay(v)
	if err != nil {
		r.fail(col, "%v", err)
		return ""
	}
	return d
}

// dating reads effective_on: a day or an RFC 3339 time, not in the future.
func (r *rowReader) dating() domain.Dating {
	v := r.cell("effective_on")
	if v == "" {
		return domain.Dating{}
	}
	if _, err := time.Parse(time.RFC3339, v); err != nil {
		if v = r.day("effective_on", false); v == "" {
			return domain.Dating{}
		}
	}
	d, errs := domain.ParseDating(v, "", nil, r.p.now)
	for _, fe := range errs {
		r.fail("effective_on", "%s", fe.Message)
	}
	return d
}

// citations reads the row's citation columns: none when all are empty.
func (r *rowReader) citations() []domain.Citation {
	c := domain.Citation{
		Publisher: r.cell("citation_publisher"), Title: r.cell("citation_title"), URL: r.cell("citation_url"),
		Locator: r.cell("citation_locator"), Quote: r.cell("citation_quote"),
		Reliability: domain.Reliability(strings.ToUpper(r.cell("citation_reliability"))), Credibility: domain.Grade(r.cell("citation_credibility")),
	}
	if v := r.cell("citation_published_at"); v != "" {
		c.PublishedAt = v
		if _, err := time.Parse(time.RFC3339, v); err != nil {
			c.PublishedAt = r.day("citation_published_at", false)
		}
	}
	if c == (domain.Citation{}) {
		return nil
	}
	return []domain.Citation{c}
}

// termColumns lists a sheet's term headers, folded, in the file's order.
func termColumns(headers []string) []string {
	var out []string
	for _, h := range headers {
		if f := foldHeader(h); strings.HasPrefix(f, TermPrefix) {
			out = append(out, f)
		}
	}
	return out
}

// terms reads the term columns in the file's order; an empty cell states
// no term. The terms the topic defines are read as the store will keep
// them, so that a dry run names a value that does not fit by its cell.
func (r *rowReader) terms(topic *domain.Topic) (map[string]any, []string) {
	terms := map[string]any{}
	var order []string
	for _, f := range r.termCols {
		v := r.cell(f)
		if v == "" {
			continue
		}
		key := strings.TrimPrefix(f, TermPrefix)
		terms[key] = termValue(v)
		if topic != nil {
			if def, ok := topic.TermDefinitionByKey(key); ok && def.Type == domain.TermTypeDate {
				terms[key] = r.day(f, false)
			}
		}
		order = append(order, key)
	}
	if topic == nil || len(topic.TermDefinitions) == 0 {
		return terms, order
	}
	normalized, bad := domain.NormalizeTerms(topic.TermDefinitions, terms)
	for _, fe := range bad {
		r.fail(columnOf(fe.Field), "%s (the topic %q defines this term)", fe.Message, topic.Title)
	}
	return normalized, order
}

var plainNumber = regexp.MustCompile(`^-?\d+(\.\d+)?$`)

// termValue reads a term cell: a plain number as a number, true and false
// as booleans, anything else as the text it is (a topic's definition of
// the term may read it further).
func termValue(v string) any {
	if plainNumber.MatchString(v) {
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return f
		}
	}
	switch strings.ToLower(v) {
	case "true":
		return true
	case "false":
		return false
	}
	return v
}

// row reads one data row of a sheet.
func (p *planner) row(r *rowReader) {
	switch r.sheet {
	case SheetDemands:
		p.demandRow(r)
	case SheetObjections:
		p.objectionRow(r)
	case SheetEndorsements:
		p.endorsementRow(r)
	}
}

func (p *planner) demandRow(r *rowReader) {
	party := r.party()
	d := &domain.Demand{NegotiationID: p.negotiationID, Title: r.required("title"), Details: r.cell("details"),
		State: domain.DemandStatus(r.enum("status")), Priority: domain.DemandPriority(r.enum("priority")), StatedOn: r.day("stated_on", true), RoundID: r.round(),
		Citations: r.citations()}
	var topic *domain.Topic
	if title := r.required("topic"); title != "" {
		var msg string
		if topic, msg = p.ix.topic(title); msg != "" {
			r.fail("topic", "%s", msg)
		} else {
			d.TopicID = topic.ID
		}
	}
	if party != nil {
		d.PartyID = party.ID
	}
	d.Handling = r.handling()
	d.Terms, d.TermOrder = r.terms(topic)
	d.ID = newID()
	item := &Item{Sheet: r.sheet, Row: r.row.Number, Kind: domain.KindDemand, Title: d.Title,
		Topic: r.cell("topic"), StatedOn: d.StatedOn, resource: d, dating: r.dating()}
	if party != nil {
		item.Party = party.Name
		p.ix.addDemand(demandTarget{id: d.ID, partyID: party.ID, partyName: party.Name, title: d.Title})
	}
	p.finish(r, item)
}

func (p *planner) objectionRow(r *rowReader) {
	target, found := r.demand()
	party := r.party()
	o := &domain.Objection{DemandID: target.id, Grounds: r.required("grounds"), Type: domain.ObjectionKind(r.enum("kind")),
		State: domain.ObjectionStatus(r.enum("status")), StatedOn: r.day("stated_on", true), RoundID: r.round(),
		Handling: r.handling(), Citations: r.citations()}
	if party != nil {
		o.PartyID = party.ID
		if found && party.ID == target.partyID {
			r.fail("party", "%s made this demand; a party cannot object to its own demand", party.Name)
		}
	}
	p.finish(r, p.reactionItem(r, domain.KindObjection, o, party, target))
}

func (p *planner) endorsementRow(r *rowReader) {
	target, _ := r.demand()
	party := r.party()
	e := &domain.Endorsement{DemandID: target.id, Note: r.cell("note"), StatedOn: r.day("stated_on", true), RoundID: r.round(),
		Handling: r.handling(), Citations: r.citations()}
	if party != nil {
		e.PartyID = party.ID
	}
	p.finish(r, p.reactionItem(r, domain.KindEndorsement, e, party, target))
}

func (p *planner) reactionItem(r *rowReader, k domain.Kind, res domain.Resource, party *domain.Party, target demandTarget) *Item {
	item := &Item{Sheet: r.sheet, Row: r.row.Number, Kind: k, Demand: target.title, resource: res}
	if party != nil {
		item.Party = party.Name
	}
	switch v := res.(type) {
	case *domain.Objection:
		item.StatedOn = v.StatedOn
	case *domain.Endorsement:
		item.StatedOn = v.StatedOn
	}
	return item
}

// finish validates the row's resource, names each problem by its column,
// and keeps the item.
func (p *planner) finish(r *rowReader, item *Item) {
	item.resource.Normalize()
	for _, fe := range item.resource.Validate() {
		r.fail(columnOf(fe.Field), "%s", fe.Message)
	}
	item.Round = p.ix.roundTitle[roundOf(item.resource)]
	if m, ok := item.resource.(domain.Marked); ok {
		item.Handling = m.OwnHandling()
	}
	item.EffectiveAt = item.dating.EffectiveAt
	if item.EffectiveAt.IsZero() {
		item.EffectiveAt, _ = domain.OwnDate(item.resource)
	}
	p.items = append(p.items, item)
}

// columnOf names the column a resource's field comes from.
func columnOf(field string) string {
	switch {
	case strings.HasPrefix(field, "terms."):
		return TermPrefix + strings.TrimPrefix(field, "terms.")
	case strings.HasPrefix(field, "citations["):
		_, sub, ok := strings.Cut(field, "].")
		if !ok {
			return "citation_title"
		}
		return "citation_" + sub
	case strings.HasSuffix(field, "_id"):
		return strings.TrimSuffix(field, "_id")
	case field == domain.FieldChangeNote:
		return domain.FieldEffectiveOn
	}
	return field
}

// newID is the id a new demand is created with, chosen before the write
// so that reactions in the same file can refer to it.
func newID() string {
	u, err := uuid.NewV7()
	if err != nil {
		return uuid.NewString()
	}
	return u.String()
}

// roundOf is the round a row's resource names; "" for none.
func roundOf(r domain.Resource) string {
	switch v := r.(type) {
	case *domain.Demand:
		return v.RoundID
	case *domain.Objection:
		return v.RoundID
	case *domain.Endorsement:
		return v.RoundID
	}
	return ""
}
