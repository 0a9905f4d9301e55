package ui_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/parley/parley/api"
	"github.com/parley/parley/domain/demo"
	"github.com/parley/parley/store/storetest"
	"github.com/parley/parley/ui"
)

// newAppWith is newApp with options of its own and no demo negotiation.
func newAppWith(t *testing.T, apiOpts api.Options, uiOpts ui.Options) *testApp {
	t.Helper()
	s := storetest.Open(t)
	e := api.New(s, apiOpts)
	ui.Register(e, s, uiOpts)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &testApp{t: t, url: srv.URL, store: s}
}

// TestAsOfYearOneIsNotNow: the first instant of year 1 is a time like any
// other, before every negotiation, not the zero time that stands for "now"
// (or, recorded as of, for "everything recorded").
func TestAsOfYearOneIsNotNow(t *testing.T) {
	app := newAppWith(t, api.Options{RateLimit: -1}, ui.Options{})
	neg, _, err := demo.Load(context.Background(), app.store, "demo")
	if err != nil {
		t.Fatal(err)
	}
	viewer := app.signIn("viewer")
	base := "/negotiations/" + neg
	for _, at := range []string{"0001-01-01", "0001-01-01T00:00", "0001-01-01T00:00:00Z"} {
		t.Run(at, func(t *testing.T) {
			q := "?as_of=" + url.QueryEscape(at)
			for _, page := range []string{"/matrix", "/report"} {
				status, body, _ := viewer.get(base + page + q)
				if status != http.StatusOK || !strings.Contains(body, "had not started by then") {
					t.Errorf("%s as of %s: %d, without \"had not started by then\"", page, at, status)
				}
			}
			status, body, _ := viewer.get(base + "/timeline" + q)
			if status != http.StatusUnprocessableEntity || !strings.Contains(errorBeside(body, "as_of"), "did not exist yet") {
				t.Errorf("timeline as of %s: %d, %q beside the picker; want 422 and \"did not exist yet\"", at, status, errorBeside(body, "as_of"))
			}
			status, body, _ = viewer.get(base + "/matrix?recorded_as_of=" + url.QueryEscape(at))
			if !strings.Contains(errorBeside(body, "recorded_as_of"), "Nothing of this negotiation had been recorded by then") {
				t.Errorf("matrix recorded as of %s: %d, %q beside the picker", at, status, errorBeside(body, "recorded_as_of"))
			}
		})
	}
}
