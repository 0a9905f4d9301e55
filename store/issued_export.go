package store

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// exportIssued is an issued report in the export document: its metadata,
// its bytes (base64, as encoding/json writes []byte) and, for a deleted
// one, who deleted it and when, without bytes.
type exportIssued struct {
	ID            string  `json:"id"`
	NegotiationID string  `json:"negotiation_id"`
	Title         string  `json:"title"`
	Format        string  `json:"format"`
	AsOf          *string `json:"as_of"`
	Since         *string `json:"since"`
	Layout        string  `json:"layout"`
	Audience      string  `json:"audience"`
	Handling      string  `json:"handling"`
	Filename      string  `json:"filename"`
	ContentType   string  `json:"content_type"`
	Size          int64   `json:"size"`
	SHA256        string  `json:"sha256"`
	IssuedBy      string  `json:"issued_by"`
	IssuedAt      string  `json:"issued_at"`
	DeletedBy     *string `json:"deleted_by"`
	DeletedAt     *string `json:"deleted_at"`
	Content       []byte  `json:"content"`
}

func exportTime(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.UTC().Format(exportTimeLayout)
	return &s
}

// exportIssuedReports writes the issued_reports section, oldest first.
func exportIssuedReports(tx *gorm.DB, ew *exportWriter) error {
	ew.open("issued_reports")
	rows, err := tx.Raw("SELECT " + issuedColumns + ", deleted_by, deleted_at, content FROM issued_reports ORDER BY id").Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var deletedBy sql.NullString
		var deletedAt sql.Null[dbTime]
		var content []byte
		r, err := scanIssued(rows, &deletedBy, &deletedAt, &content)
		if err != nil {
			return err
		}
		e := exportIssued{ID: r.ID, NegotiationID: r.NegotiationID, Title: r.Title, Format: r.Format,
			AsOf: exportTime(r.AsOf), Since: exportTime(r.Since), Layout: r.Layout, Audience: r.Audience, Handling: r.Handling,
			Filename: r.Filename, ContentType: r.ContentType, Size: r.Size, SHA256: r.SHA256, IssuedBy: r.IssuedBy,
			IssuedAt: r.IssuedAt.Format(exportTimeLayout), Content: content}
		if deletedBy.Valid {
			e.DeletedBy = &deletedBy.String
		}
		if deletedAt.Valid {
			t := deletedAt.V.UTC()
			e.DeletedAt = exportTime(&t)
		}
		b, err := marshal(e)
		if err != nil {
			return err
		}
		ew.item(b)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	ew.close()
	return nil
}

// importIssued writes one issued report back, refusing one whose bytes do
// not match its hash and size: an issued report is only worth keeping if
// it is the file that was issued.
func importIssued(tx *gorm.DB, e exportIssued) error {
	if e.ID == "" || e.NegotiationID == "" || e.Format == "" || e.IssuedBy == "" {
		return errors.New("id, negotiation_id, format and issued_by are required")
	}
	deleted := e.DeletedAt != nil
	if deleted != (e.DeletedBy != nil) || (deleted && e.Content != nil) {
		return errors.New("a deleted issued report has deleted_by and deleted_at and no content; a kept one none of them")
	}
	if !deleted {
		sum := sha256.Sum256(e.Content)
		if hex.EncodeToString(sum[:]) != e.SHA256 || int64(len(e.Content)) != e.Size {
			return errors.New("content does not match its sha256 and size")
		}
	}
	issuedAt, err := parseExportTime("issued_at", e.IssuedAt)
	if err != nil {
		return err
	}
	times := map[string]*time.Time{}
	for name, v := range map[string]*string{"as_of": e.AsOf, "since": e.Since, "deleted_at": e.DeletedAt} {
		if v == nil {
			continue
		}
		t, err := parseExportTime(name, *v)
		if err != nil {
			return err
		}
		times[name] = &t
	}
	var content any
	if !deleted {
		content = e.Content
		if e.Content == nil {
			content = []byte{}
		}
	}
	err = tx.Exec("INSERT INTO issued_reports ("+issuedColumns+", deleted_by, deleted_at, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		e.ID, e.NegotiationID, e.Title, e.Format, optionalTime(times["as_of"]), optionalTime(times["since"]), e.Layout, e.Audience, e.Handling,
		e.Filename, e.ContentType, e.Size, e.SHA256, e.IssuedBy, bound(issuedAt), e.DeletedBy, optionalTime(times["deleted_at"]), content).Error
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}
