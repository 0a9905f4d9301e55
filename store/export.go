package store

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"gorm.io/gorm"

	"github.com/parley/parley/domain"
)

// ExportFormat and ExportVersion head every export document; Import
// refuses any other.
const (
	ExportFormat  = "parley-export"
	ExportVersion = 4
	// exportVersionUndated is the version written before negotiation
	// time: its revisions carry no effective_at, and are dated on import
	// as the migration dates a database.
	exportVersionUndated = 1
	// exportVersionDated is the version written before issued reports:
	// dated revisions, no issued_reports.
	exportVersionDated = 2
	// exportVersionIssued is the version written before rebuttals: issued
	// reports, no rebuttals.
	exportVersionIssued = 3
)

// exportTimeLayout writes every time of the document the same way: UTC,
// RFC 3339, always six fractional digits.
const exportTimeLayout = "2006-01-02T15:04:05.000000Z07:00"

type exportUser struct {
	ID        string `json:"id"`
	Username  string `json:"username"`
	Role      string `json:"role"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
	Version   int    `json:"version"`
}

type exportRevision struct {
	ResourceType  string  `json:"resource_type"`
	ResourceID    string  `json:"resource_id"`
	Revision      int     `json:"revision"`
	Action        string  `json:"action"`
	Actor         string  `json:"actor"`
	At            string  `json:"at"`
	NegotiationID *string `json:"negotiation_id"`
	// EffectiveAt, ChangeNote and ChangeCitations are negotiation time
	// (version 2 on).
	EffectiveAt     *string         `json:"effective_at,omitempty"`
	ChangeNote      *string         `json:"change_note,omitempty"`
	ChangeCitations json.RawMessage `json:"change_citations,omitempty"`
	Resource        json.RawMessage `json:"resource"`
}

// exportDocument is the whole document as Import reads it; Export writes
// the same fields in the same order, streaming, one item per line.
type exportDocument struct {
	Format       string            `json:"format"`
	Version      int               `json:"version"`
	Users        []exportUser      `json:"users"`
	Parties      []json.RawMessage `json:"parties"`
	Negotiations []json.RawMessage `json:"negotiations"`
	Rounds       []json.RawMessage `json:"rounds"`
	Delegations  []json.RawMessage `json:"delegations"`
	Topics       []json.RawMessage `json:"topics"`
	Demands      []json.RawMessage `json:"demands"`
	Objections   []json.RawMessage `json:"objections"`
	// Rebuttals are the answers to objections (version 4 on).
	Rebuttals    []json.RawMessage `json:"rebuttals"`
	Endorsements []json.RawMessage `json:"endorsements"`
	Revisions    []exportRevision  `json:"revisions"`
	// IssuedReports are the issued reports with their bytes (version 3 on).
	IssuedReports []exportIssued `json:"issued_reports"`
}

func (d *exportDocument) resources(k domain.Kind) []json.RawMessage {
	switch k {
	case domain.KindParty:
		return d.Parties
	case domain.KindNegotiation:
		return d.Negotiations
	case domain.KindRound:
		return d.Rounds
	case domain.KindDelegation:
		return d.Delegations
	case domain.KindTopic:
		return d.Topics
	case domain.KindDemand:
		return d.Demands
	case domain.KindObjection:
		return d.Objections
	case domain.KindRebuttal:
		return d.Rebuttals
	case domain.KindEndorsement:
		return d.Endorsements
	}
	return nil
}

// exportWriter streams the document's arrays, one element per line.
type exportWriter struct {
	w     *bufio.Writer
	first bool
}

func (e *exportWriter) open(name string) {
	fmt.Fprintf(e.w, ",\n%q:[", name)
	e.first = true
}

func (e *exportWriter) item(b []byte) {
	if !e.first {
		e.w.WriteByte(',')
	}
	e.first = false
	e.w.WriteByte('\n')
	e.w.Write(bytes.TrimRight(b, "\n"))
}

func (e *exportWriter) close() {
	if !e.first {
		e.w.WriteByte('\n')
	}
	e.w.WriteByte(']')
}

// marshal encodes without HTML escaping, so that text reads as typed; the
// stored bodies are written as they are.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Export writes the whole database as one JSON document: users without
// their password hashes or tokens, every resource, every revision, in a
// stable order, all read in one transaction.
func (s *Store) Export(ctx context.Context, w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	ew := &exportWriter{w: bw}
	err := s.read(ctx, func(tx *gorm.DB) error {
		fmt.Fprintf(bw, "{\"format\":%q,\"version\":%d", ExportFormat, ExportVersion)
		ew.open("users")
		err := eachRow(tx, func(rows *sql.Rows) error {
			u, err := scanUser(rows)
			if err != nil {
				return err
			}
			b, err := marshal(exportUser{ID: u.ID, Username: u.Username, Role: string(u.Role),
				CreatedAt: u.CreatedAt.Format(exportTimeLayout), UpdatedAt: u.UpdatedAt.Format(exportTimeLayout), Version: u.Version})
			if err != nil {
				return err
			}
			ew.item(b)
			return nil
		}, "SELECT "+userColumns+" FROM users ORDER BY id")
		if err != nil {
			return err
		}
		ew.close()
		for _, k := range domain.Kinds {
			ew.open(tables[k].name)
			err := eachRow(tx, func(rows *sql.Rows) error {
				var body []byte
				if err := rows.Scan(&body); err != nil {
					return err
				}
				ew.item(body)
				return nil
			}, "SELECT body FROM "+tables[k].name+" ORDER BY id")
			if err != nil {
				return err
			}
			ew.close()
		}
		ew.open("revisions")
		rows, err := tx.Raw("SELECT resource_type, resource_id, revision, action, actor, at, negotiation_id, effective_at, change_note, change_citations, body FROM revisions ORDER BY id").Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r exportRevision
			var at, eff dbTime
			var note, cits sql.NullString
			var body []byte
			if err := rows.Scan(&r.ResourceType, &r.ResourceID, &r.Revision, &r.Action, &r.Actor, &at, &r.NegotiationID, &eff, &note, &cits, &body); err != nil {
				return err
			}
			r.At = at.Format(exportTimeLayout)
			effective := eff.Format(exportTimeLayout)
			r.EffectiveAt = &effective
			if note.Valid {
				r.ChangeNote = &note.String
			}
			if cits.Valid {
				r.ChangeCitations = json.RawMessage(cits.String)
			}
			r.Resource = body
			b, err := marshal(r)
			if err != nil {
				return err
			}
			ew.item(b)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		ew.close()
		if err := exportIssuedReports(tx, ew); err != nil {
			return err
		}
		bw.WriteString("}\n")
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: export: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("store: export: %w", err)
	}
	return nil
}

// ErrNotEmpty is Import's refusal of a database that already holds data.
var ErrNotEmpty = errors.New("import: the database is not empty; import only into a new database")

// emptyCheckTables are the tables that must all be empty for an import.
var emptyCheckTables = []string{"users", "parties", "negotiations", "rounds", "delegations", "topics", "demands", "objections", "rebuttals", "endorsements", "revisions", "issued_reports"}

// Import loads an Export document into an empty database, in one
// transaction: a malformed document or a database holding data changes
// nothing. Users come without passwords and must be given new ones.
func (s *Store) Import(ctx context.Context, r io.Reader) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var doc exportDocument
	if err := dec.Decode(&doc); err != nil {
		return fmt.Errorf("import: not a parley export document: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("import: not a parley export document: data after the document")
	}
	if doc.Format != ExportFormat {
		return fmt.Errorf("import: not a parley export document (format %q)", doc.Format)
	}
	if doc.Version < exportVersionUndated || doc.Version > ExportVersion {
		return fmt.Errorf("import: export version %d is not supported (this parley reads versions %d to %d)", doc.Version, exportVersionUndated, ExportVersion)
	}
	if doc.Version < exportVersionIssued && len(doc.IssuedReports) > 0 {
		return fmt.Errorf("import: issued_reports need export version %d", exportVersionIssued)
	}
	if doc.Version <= exportVersionIssued && len(doc.Rebuttals) > 0 {
		return fmt.Errorf("import: rebuttals need export version %d", ExportVersion)
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		for _, t := range emptyCheckTables {
			var n int64
			if err := tx.Raw("SELECT COUNT(*) FROM " + t).Row().Scan(&n); err != nil {
				return fmt.Errorf("import: %w", err)
			}
			if n > 0 {
				return ErrNotEmpty
			}
		}
		for i, u := range doc.Users {
			if err := importUser(tx, u); err != nil {
				return fmt.Errorf("import: users[%d]: %w", i, err)
			}
		}
		negotiationOf := map[string]string{} // round, demand and objection id -> negotiation id
		rows := map[resourceKey]importedRow{}
		var parties []*domain.Party
		for _, k := range domain.Kinds {
			for i, raw := range doc.resources(k) {
				r, err := importResource(tx, k, raw, negotiationOf)
				if err != nil {
					return fmt.Errorf("import: %s[%d]: %w", tables[k].name, i, err)
				}
				rows[resourceKey{string(k), r.Base().ID}] = importedRow{index: i, res: r}
				if p, ok := r.(*domain.Party); ok {
					parties = append(parties, p)
				}
			}
			if k == domain.KindParty {
				// Blocs may list members that come later in the document.
				if err := importMembers(tx, parties); err != nil {
					return fmt.Errorf("import: %w", err)
				}
			}
		}
		// The history is checked whole before any of it is written: views
		// of any moment replay it, so it must be one that parley could
		// have written.
		revs, err := readHistory(doc.Revisions, rows, doc.Version >= exportVersionDated)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		for _, rev := range revs {
			if err := addRevision(tx, rev.row); err != nil {
				return fmt.Errorf("import: revisions[%d]: %w", rev.index, err)
			}
		}
		for i, ir := range doc.IssuedReports {
			if err := importIssued(tx, ir); err != nil {
				return fmt.Errorf("import: issued_reports[%d]: %w", i, err)
			}
		}
		if doc.Version == exportVersionUndated {
			return backfillNegotiationTime(tx)
		}
		return nil
	})
}

func parseExportTime(field, v string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %q is not an RFC 3339 time", field, v)
	}
	return bound(t), nil
}

func importUser(tx *gorm.DB, eu exportUser) error {
	if errs := domain.ValidateUser(eu.Username, "placeholder-password", eu.Role); len(errs) > 0 {
		return errs.Err()
	}
	created, err := parseExportTime("created_at", eu.CreatedAt)
	if err != nil {
		return err
	}
	updated, err := parseExportTime("updated_at", eu.UpdatedAt)
	if err != nil {
		return err
	}
	if !validID(eu.ID) || eu.Version < 1 {
		return errors.New("id must be a UUID and version at least 1")
	}
	// No password hash is exported, so an imported user has none and
	// cannot sign in until given a new password.
	return insertUser(tx, &domain.User{ID: eu.ID, Username: eu.Username, Role: domain.Role(eu.Role), CreatedAt: created, UpdatedAt: updated, Version: eu.Version}, "")
}

// importResource stores one row of the document and returns it as stored.
func importResource(tx *gorm.DB, k domain.Kind, raw json.RawMessage, negotiationOf map[string]string) (domain.Resource, error) {
	if err := domain.CheckJSONText(raw, "the resource"); err != nil {
		return nil, err
	}
	r := domain.New(k)
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(r); err != nil {
		return nil, fmt.Errorf("not a %s: %w", k.Singular(), err)
	}
	m := r.Base()
	if !validID(m.ID) || m.Version < 1 || m.CreatedAt.IsZero() || m.UpdatedAt.IsZero() {
		return nil, errors.New("id must be a UUID, version at least 1 and both times set")
	}
	m.CreatedAt, m.UpdatedAt = bound(m.CreatedAt), bound(m.UpdatedAt)
	r.Normalize()
	if err := r.Validate().Err(); err != nil {
		return nil, err
	}
	// Derived negotiations are recomputed rather than trusted.
	switch v := r.(type) {
	case *domain.Round:
		negotiationOf[v.ID] = v.NegotiationID
	case *domain.Demand:
		negotiationOf[v.ID] = v.NegotiationID
	case *domain.Delegation:
		v.NegotiationID = negotiationOf[v.RoundID]
	case *domain.Objection:
		v.NegotiationID = negotiationOf[v.DemandID]
		negotiationOf[v.ID] = v.NegotiationID
	case *domain.Rebuttal:
		v.NegotiationID = negotiationOf[v.ObjectionID]
	case *domain.Endorsement:
		v.NegotiationID = negotiationOf[v.DemandID]
	}
	if _, err := insertRow(tx, tables[k], r); err != nil {
		var ce *domain.ConflictError
		if errors.As(err, &ce) && ce.Field == "" {
			return nil, fmt.Errorf("%s %s refers to something not in the document or is duplicated", k.Singular(), m.ID)
		}
		return nil, err
	}
	if err := syncClaims(tx, r, true); err != nil {
		return nil, fmt.Errorf("%s %s: %w", k.Singular(), m.ID, err)
	}
	if n, ok := r.(*domain.Negotiation); ok {
		if err := syncParticipants(tx, n); err != nil {
			if constraintOf(err) == foreignKeyViolation {
				return nil, fmt.Errorf("negotiation %s has a participant not in the document", n.ID)
			}
			return nil, fmt.Errorf("negotiation %s: participants: %w", n.ID, err)
		}
	}
	return r, nil
}

// importDating reads a revision's negotiation time: required from a dated
// export, absent from an undated one (dated after the import).
func importDating(rev *revisionRow, er exportRevision, dated bool) error {
	if !dated {
		if er.EffectiveAt != nil || er.ChangeNote != nil || er.ChangeCitations != nil {
			return fmt.Errorf("effective_at, change_note and change_citations need export version %d", exportVersionDated)
		}
		rev.undated = true
		return nil
	}
	if er.EffectiveAt == nil {
		return errors.New("effective_at is required")
	}
	eff, err := parseExportTime("effective_at", *er.EffectiveAt)
	if err != nil {
		return err
	}
	rev.effectiveAt = eff
	if er.ChangeNote != nil {
		rev.note = *er.ChangeNote
	}
	if len(er.ChangeCitations) > 0 && string(er.ChangeCitations) != "null" {
		if err := json.Unmarshal(er.ChangeCitations, &rev.citations); err != nil {
			return errors.New("change_citations must be a list of citations")
		}
	}
	return nil
}

// Backup writes a consistent copy of a live SQLite database to a new file
// with VACUUM INTO, beside writers. PostgreSQL has pg_dump for that.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.dialect != dialectSQLite {
		return errors.New("store: backup copies SQLite databases; use pg_dump for PostgreSQL")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("store: backup: %s already exists", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("store: backup: %w", err)
	}
	if err := s.r.WithContext(ctx).Exec("VACUUM INTO ?", path).Error; err != nil {
		return fmt.Errorf("store: backup to %s: %w", path, err)
	}
	return nil
}

// IntegrityCheck runs SQLite's PRAGMA integrity_check and fails unless it
// answers "ok"; PostgreSQL keeps its own integrity, so there it only pings.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	if s.dialect != dialectSQLite {
		return s.Ping(ctx)
	}
	msgs, err := scanStrings(s.r.WithContext(ctx), "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("store: integrity check: %w", err)
	}
	if len(msgs) != 1 || msgs[0] != "ok" {
		return fmt.Errorf("store: integrity check failed: %v", msgs)
	}
	return nil
}
