package domain

import (
	"context"
	"time"
)

// IssuedReport is a report rendered once and kept: its bytes never change,
// so a report sent on Monday is the same file on Friday, whatever happened
// in the talks since. SHA256 is the hex digest of the bytes.
type IssuedReport struct {
	ID            string     `json:"id"`
	NegotiationID string     `json:"negotiation_id"`
	Title         string     `json:"title"`
	Format        string     `json:"format"`
	AsOf          *time.Time `json:"as_of"`
	Since         *time.Time `json:"since"`
	Layout        string     `json:"layout"`
	Audience      string     `json:"audience"`
	// Handling is the highest marking the issued file carries.
	Handling    string    `json:"handling"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	IssuedBy    string    `json:"issued_by"`
	IssuedAt    time.Time `json:"issued_at"`
}

// MaxIssuedReportBytes bounds one issued report's file.
const MaxIssuedReportBytes = 64 << 20

// IssuedReports is the part of the store that keeps issued reports.
// Issuing and deleting are each one transaction with their entry in the
// report's history.
type IssuedReports interface {
	IssueReport(ctx context.Context, r *IssuedReport, content []byte) error
	GetIssuedReport(ctx context.Context, id string) (*IssuedReport, error)
	IssuedReportFile(ctx context.Context, id string) (*IssuedReport, []byte, error)
	ListIssuedReports(ctx context.Context, negotiationID string, limit int, cursor string) ([]IssuedReport, string, error)
	DeleteIssuedReport(ctx context.Context, actor, id string) error
	// IssuedReportHistory is what happened to an issued report: its
	// issue, and its deletion if it was deleted; a *NotFoundError if it
	// never existed.
	IssuedReportHistory(ctx context.Context, id string) ([]IssuedReportEvent, error)
}

// IssuedReportEvent is one entry in an issued report's history.
type IssuedReportEvent struct {
	Revision int       `json:"revision"`
	Action   string    `json:"action"` // "create" (issued) or "delete"
	Actor    string    `json:"actor"`
	At       time.Time `json:"at"`
}
