package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/store"
	"github.com/parley/parley/store/storetest"
)

func issueBytes(t *testing.T, s *store.Store, negotiationID string, content []byte) *domain.IssuedReport {
	t.Helper()
	sum := sha256.Sum256(content)
	asOf := time.Date(2025, 5, 16, 23, 59, 59, 999999000, time.UTC)
	r := &domain.IssuedReport{ID: uuid.Must(uuid.NewV7()).String(), NegotiationID: negotiationID, Title: "Brief «Istanbul»", Format: "pdf",
		AsOf: &asOf, Audience: "TLP:GREEN", Handling: "TLP:GREEN", Filename: "parley-istanbul-as-of-2025-05-16.pdf",
		ContentType: "application/pdf", Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:]), IssuedBy: "analyst",
		IssuedAt: time.Date(2025, 5, 17, 9, 30, 0, 123456000, time.UTC)}
	if err := s.IssueReport(context.Background(), r, content); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestIssuedReportsSurviveExportImport: an issued report's bytes come
// back from an export and import byte for byte, with their hash, and a
// deleted one stays deleted with who deleted it.
func TestIssuedReportsSurviveExportImport(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	neg := uuid.NewString()
	content := append([]byte("%PDF-1.7\n\x00\xff\xfe binary "), bytes.Repeat([]byte{0x80, 0x01}, 5000)...)
	kept := issueBytes(t, s, neg, content)
	gone := issueBytes(t, s, neg, []byte("to be deleted"))
	if err := s.DeleteIssuedReport(ctx, "admin", gone.ID); err != nil {
		t.Fatal(err)
	}
	first := export(t, s)
	if !bytes.Contains(first, []byte(`"issued_reports":[`)) || !bytes.Contains(first, []byte(`"deleted_by":"admin"`)) {
		t.Fatalf("export lacks the issued reports: %s", first)
	}
	fresh := storetest.Open(t)
	if err := fresh.Import(ctx, bytes.NewReader(first)); err != nil {
		t.Fatal(err)
	}
	meta, got, err := fresh.IssuedReportFile(ctx, kept.ID)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(got)
	if !bytes.Equal(got, content) || hex.EncodeToString(sum[:]) != kept.SHA256 || meta.SHA256 != kept.SHA256 || !meta.IssuedAt.Equal(kept.IssuedAt) || !meta.AsOf.Equal(*kept.AsOf) {
		t.Errorf("the imported report differs: %+v", meta)
	}
	var nf *domain.NotFoundError
	if _, err := fresh.GetIssuedReport(ctx, gone.ID); !errors.As(err, &nf) {
		t.Errorf("the deleted report came back: %v", err)
	}
	if second := export(t, fresh); !bytes.Equal(first, second) {
		t.Errorf("export after import differs")
	}
	list, next, err := fresh.ListIssuedReports(ctx, neg, 10, "")
	if err != nil || len(list) != 1 || next != "" {
		t.Errorf("list after import: %v, %v", list, err)
	}
}

// TestImportChecksIssuedReports: an issued report whose bytes do not match
// its hash is refused, and an older export without issued reports still
// imports.
func TestImportChecksIssuedReports(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	issueBytes(t, s, uuid.NewString(), []byte("the file as issued"))
	doc := string(export(t, s))
	tampered := strings.Replace(doc, `"sha256":"`, `"sha256":"0`, 1)
	if err := storetest.Open(t).Import(ctx, strings.NewReader(tampered)); err == nil || !strings.Contains(err.Error(), "sha256") {
		t.Errorf("a tampered issued report imports: %v", err)
	}
	if err := storetest.Open(t).Import(ctx, strings.NewReader(`{"format":"parley-export","version":2,"users":[]}`)); err != nil {
		t.Errorf("a version 2 export no longer imports: %v", err)
	}
	if err := storetest.Open(t).Import(ctx, strings.NewReader(`{"format":"parley-export","version":3,"users":[],"issued_reports":[]}`)); err != nil {
		t.Errorf("a version 3 export (no rebuttals) no longer imports: %v", err)
	}
	old := strings.Replace(doc, `"version":4`, `"version":2`, 1)
	if err := storetest.Open(t).Import(ctx, strings.NewReader(old)); err == nil || !strings.Contains(err.Error(), "version 3") {
		t.Errorf("issued reports in a version 2 export: %v", err)
	}
}
