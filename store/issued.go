package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/parley/parley/domain"
)

// issuedColumns are the metadata columns of issued_reports, in the order
// scanIssued reads them.
const issuedColumns = "id, negotiation_id, title, format, as_of, since, layout, audience, handling, filename, content_type, size, sha256, issued_by, issued_at"

// kindIssuedReport names issued reports in errors.
const kindIssuedReport domain.Kind = "reports"

// IssueReport stores an issued report's metadata and bytes in one step.
func (s *Store) IssueReport(ctx context.Context, r *domain.IssuedReport, content []byte) error {
	r.IssuedAt = bound(r.IssuedAt)
	return s.write(ctx, func(tx *gorm.DB) error {
		return tx.Exec("INSERT INTO issued_reports ("+issuedColumns+", content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			r.ID, r.NegotiationID, r.Title, r.Format, optionalTime(r.AsOf), optionalTime(r.Since), r.Layout, r.Audience, r.Handling,
			r.Filename, r.ContentType, r.Size, r.SHA256, r.IssuedBy, r.IssuedAt, content).Error
	})
}

func optionalTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return bound(*t)
}

// GetIssuedReport reads an issued report's metadata; a deleted one is a
// *NotFoundError.
func (s *Store) GetIssuedReport(ctx context.Context, id string) (*domain.IssuedReport, error) {
	r, _, err := s.issued(ctx, id, false)
	return r, err
}

// IssuedReportFile reads an issued report with its bytes.
func (s *Store) IssuedReportFile(ctx context.Context, id string) (*domain.IssuedReport, []byte, error) {
	return s.issued(ctx, id, true)
}

func (s *Store) issued(ctx context.Context, id string, withContent bool) (*domain.IssuedReport, []byte, error) {
	var r *domain.IssuedReport
	var content []byte
	err := s.read(ctx, func(tx *gorm.DB) error {
		cols := issuedColumns
		if withContent {
			cols += ", content"
		}
		rows, err := tx.Raw("SELECT "+cols+" FROM issued_reports WHERE id = ? AND deleted_at IS NULL", id).Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		if !rows.Next() {
			return rows.Err()
		}
		var extra []any
		if withContent {
			extra = append(extra, &content)
		}
		r, err = scanIssued(rows, extra...)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("store: read issued report: %w", err)
	}
	if r == nil {
		return nil, nil, &domain.NotFoundError{Kind: kindIssuedReport, ID: id}
	}
	return r, content, nil
}

func scanIssued(rows *sql.Rows, extra ...any) (*domain.IssuedReport, error) {
	var r domain.IssuedReport
	var asOf, since sql.Null[dbTime]
	var at dbTime
	dest := append([]any{&r.ID, &r.NegotiationID, &r.Title, &r.Format, &asOf, &since, &r.Layout, &r.Audience, &r.Handling,
		&r.Filename, &r.ContentType, &r.Size, &r.SHA256, &r.IssuedBy, &at}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return nil, err
	}
	r.IssuedAt = at.UTC()
	if asOf.Valid {
		t := asOf.V.UTC()
		r.AsOf = &t
	}
	if since.Valid {
		t := since.V.UTC()
		r.Since = &t
	}
	return &r, nil
}

// ListIssuedReports lists one page of a negotiation's issued reports,
// by id (ids are time-ordered, so oldest first).
func (s *Store) ListIssuedReports(ctx context.Context, negotiationID string, limit int, cursor string) ([]domain.IssuedReport, string, error) {
	after := ""
	if cursor != "" {
		var err error
		if after, err = domain.DecodeCursor(cursor); err != nil {
			return nil, "", domain.FieldErrors{{Field: "cursor", Message: "is not a cursor this list gave"}}.Err()
		}
	}
	out := []domain.IssuedReport{}
	err := s.read(ctx, func(tx *gorm.DB) error {
		rows, err := tx.Raw("SELECT "+issuedColumns+" FROM issued_reports WHERE negotiation_id = ? AND deleted_at IS NULL AND id > ? ORDER BY id LIMIT ?",
			negotiationID, after, limit+1).Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanIssued(rows)
			if err != nil {
				return err
			}
			out = append(out, *r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, "", fmt.Errorf("store: list issued reports: %w", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = domain.EncodeCursor(out[limit-1].ID)
	}
	return out, next, nil
}

// DeleteIssuedReport drops an issued report's bytes and records who
// deleted it and when; its row stays as the record of what was issued.
func (s *Store) DeleteIssuedReport(ctx context.Context, actor, id string) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Exec("UPDATE issued_reports SET content = NULL, deleted_by = ?, deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
			actor, bound(time.Now()), id)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &domain.NotFoundError{Kind: kindIssuedReport, ID: id}
		}
		return nil
	})
	var nf *domain.NotFoundError
	if errors.As(err, &nf) {
		return nf
	}
	if err != nil {
		return fmt.Errorf("store: delete issued report: %w", err)
	}
	return nil
}

// IssuedReportHistory reads who issued a report and when and, for a
// deleted one, who deleted it and when.
func (s *Store) IssuedReportHistory(ctx context.Context, id string) ([]domain.IssuedReportEvent, error) {
	var events []domain.IssuedReportEvent
	err := s.read(ctx, func(tx *gorm.DB) error {
		rows, err := tx.Raw("SELECT issued_by, issued_at, deleted_by, deleted_at FROM issued_reports WHERE id = ?", id).Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		if !rows.Next() {
			return rows.Err()
		}
		var by string
		var at dbTime
		var deletedBy sql.NullString
		var deletedAt sql.Null[dbTime]
		if err := rows.Scan(&by, &at, &deletedBy, &deletedAt); err != nil {
			return err
		}
		events = append(events, domain.IssuedReportEvent{Revision: 1, Action: "create", Actor: by, At: at.UTC()})
		if deletedBy.Valid && deletedAt.Valid {
			events = append(events, domain.IssuedReportEvent{Revision: 2, Action: "delete", Actor: deletedBy.String, At: deletedAt.V.UTC()})
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: issued report history: %w", err)
	}
	if events == nil {
		return nil, &domain.NotFoundError{Kind: kindIssuedReport, ID: id}
	}
	return events, nil
}
