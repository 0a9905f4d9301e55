package api_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"testing"

	"github.com/parley/parley/domain"
)

// TestIssuedReportNeverChanges: an issued report's file is the same bytes,
// with the same hash, after the negotiation changes; only an admin may
// delete it.
func TestIssuedReportNeverChanges(t *testing.T) {
	e := newEnv(t)
	w := e.world()
	issue := "/api/v1/negotiations/" + w.Negotiation + "/reports"
	wantProblem(t, e.do(req{Method: "POST", Path: issue, Token: e.editor, Body: map[string]any{"format": "docx", "audience": "TLP:BLUE", "layout": "poster", "as_of": "someday"}}),
		http.StatusUnprocessableEntity, "format", "audience", "layout", "as_of")
	e.must(http.StatusForbidden, req{Method: "POST", Path: issue, Token: e.viewer, Body: map[string]any{"format": "pdf"}})
	for _, format := range []string{"pdf", "xlsx", "markdown"} {
		meta := e.must(http.StatusCreated, req{Method: "POST", Path: issue, Token: e.editor,
			Body: map[string]any{"format": format, "title": "Brief for the minister", "audience": "TLP:AMBER", "since": "2025-05-01"}})
		id := meta.str("id")
		if meta.Header.Get("Location") != "/api/v1/reports/"+id || meta.str("issued_by") == "" || meta.str("audience") != "TLP:AMBER" {
			t.Fatalf("issued: %s", meta.Body)
		}
		first := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/reports/" + id + "/file", Token: e.viewer})
		sum := sha256.Sum256(first.Body)
		if hex.EncodeToString(sum[:]) != meta.str("sha256") || first.Header.Get("ETag") != `"`+meta.str("sha256")+`"` {
			t.Errorf("%s: the file's hash or ETag does not match its metadata", format)
		}
		if format == "markdown" && !bytes.Contains(first.Body, []byte("Brief for the minister")) {
			t.Errorf("the issued report lacks its title")
		}
		e.must(http.StatusOK, req{Method: "PATCH", Path: path(domain.KindDemand, w.Demand), Token: e.editor, Body: map[string]any{"title": "A changed demand " + format}})
		again := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/reports/" + id + "/file", Token: e.viewer})
		if !bytes.Equal(first.Body, again.Body) {
			t.Errorf("%s: the issued file changed after an edit", format)
		}
		e.must(http.StatusNotModified, req{Method: "GET", Path: "/api/v1/reports/" + id + "/file", Token: e.viewer, Headers: map[string]string{"If-None-Match": first.Header.Get("ETag")}})
	}
	list := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/reports?limit=2&negotiation_id=" + w.Negotiation, Token: e.viewer})
	if len(list.items()) != 2 || list.JSON["next_cursor"] == nil {
		t.Fatalf("first page: %s", list.Body)
	}
	rest := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/reports?limit=2&negotiation_id=" + w.Negotiation + "&cursor=" + list.JSON["next_cursor"].(string), Token: e.viewer})
	if len(rest.items()) != 1 || rest.JSON["next_cursor"] != nil {
		t.Fatalf("second page: %s", rest.Body)
	}
	wantProblem(t, e.do(req{Method: "GET", Path: "/api/v1/reports", Token: e.viewer}), http.StatusUnprocessableEntity, "negotiation_id")
	id := list.items()[0]["id"].(string)
	e.must(http.StatusForbidden, req{Method: "DELETE", Path: "/api/v1/reports/" + id, Token: e.editor})
	e.must(http.StatusNoContent, req{Method: "DELETE", Path: "/api/v1/reports/" + id, Token: e.admin})
	e.must(http.StatusNotFound, req{Method: "GET", Path: "/api/v1/reports/" + id + "/file", Token: e.viewer})
	e.must(http.StatusNotFound, req{Method: "DELETE", Path: "/api/v1/reports/" + id, Token: e.admin})
	hist := e.must(http.StatusOK, req{Method: "GET", Path: "/api/v1/reports/" + id + "/history", Token: e.viewer}).items()
	if len(hist) != 2 || hist[0]["action"] != "create" || hist[1]["action"] != "delete" || hist[1]["actor"] == hist[0]["actor"] {
		t.Errorf("history of a deleted report: %v", hist)
	}
}
