package report

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/parley/parley/domain"
)

// Issue renders a report once and stores it as issued by actor at now:
// the bytes, their SHA-256 and what it was asked with. The API and the UI
// both issue through it.
func Issue(ctx context.Context, st domain.Store, negotiationID, format string, opts Options, actor string, now time.Time) (*domain.IssuedReport, error) {
	if ContentType(format) == "" {
		return nil, domain.FieldErrors{{Field: "format", Message: "must be one of " + strings.Join(FormatNames(), ", ")}}.Err()
	}
	if !HasLayout(format, opts.Layout) {
		return nil, domain.FieldErrors{{Field: "layout", Message: "brief comes in " + strings.Join(BriefFormats, ", ") + " only"}}.Err()
	}
	r, err := Load(ctx, st, negotiationID, opts, now, DrawsTimelineIn(format, opts.Layout))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := RenderLayout(&buf, format, opts.Layout, r); err != nil {
		return nil, err
	}
	if buf.Len() > domain.MaxIssuedReportBytes {
		return nil, domain.FieldErrors{{Field: "format", Message: "gives a file of " + strconv.Itoa(buf.Len()) +
			" bytes, over the limit of " + strconv.Itoa(domain.MaxIssuedReportBytes) + " for an issued report"}}.Err()
	}
	sum := sha256.Sum256(buf.Bytes())
	issued := &domain.IssuedReport{
		ID: uuid.Must(uuid.NewV7()).String(), NegotiationID: negotiationID, Title: r.Title, Format: format,
		AsOf: r.AsOf, Since: r.Since, Layout: opts.Layout, Audience: opts.Audience, Handling: r.Handling,
		Filename: LayoutFilename(r, format, opts.Layout), ContentType: ContentType(format), Size: int64(buf.Len()),
		SHA256: hex.EncodeToString(sum[:]), IssuedBy: actor, IssuedAt: now.UTC(),
	}
	if err := st.IssueReport(ctx, issued, buf.Bytes()); err != nil {
		return nil, err
	}
	return issued, nil
}
