package api_test

import (
	"net/http"
	"testing"
)

// TestFaultMetricsFromZero: every database fault cause is exported from the
// start, so that an alert on its rate needs no failure first, and requests
// the API answers itself (a 404, a 401) are no database errors.
func TestFaultMetricsFromZero(t *testing.T) {
	e := metricsEnv(t, "")
	e.must(http.StatusNotFound, req{Method: "GET", Path: "/api/v1/parties/00000000-0000-0000-0000-000000000000", Token: e.editor})
	e.must(http.StatusUnauthorized, req{Method: "GET", Path: "/api/v1/parties"})
	e.must(http.StatusOK, req{Method: "GET", Path: "/readyz"})
	samples := scrape(t, e, "")
	for _, cause := range []string{"database-unreachable", "database-restarting", "storage-full"} {
		series := `parley_db_errors_total{cause="` + cause + `"}`
		if v, ok := samples[series]; !ok || v != 0 {
			t.Errorf("%s = %v (present %v), want 0", series, v, ok)
		}
	}
}
