package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestEveryPickerReadsWhatTheAPIReads: every as-of box
// of the UI takes what the API takes, an RFC 3339 time with an offset and
// no seconds included, and shows it in UTC; a value it cannot read leaves
// the page saying plainly that nothing was applied.
func TestEveryPickerReadsWhatTheAPIReads(t *testing.T) {
	app := newApp(t)
	viewer := app.signIn("viewer")
	base := "/negotiations/" + app.negotiation
	const typed = "2026-12-02T02:51+01:00"
	pickers := []struct {
		name, page, param string
		extra             url.Values
		shown             string // how the page says the moment it shows
		refused           string // how it says a refused one was not applied
	}{
		{"overview", base, "as_of", nil, "As of 2 Dec 2026, 01:51 UTC", "Nothing was applied"},
		{"matrix", base + "/matrix", "as_of", nil, "As of 2 Dec 2026, 01:51 UTC", "Nothing was applied"},
		{"report", base + "/report", "as_of", nil, "As of 2 Dec 2026, 01:51 UTC", "Nothing was applied"},
		{"report, changes since", base + "/report", "since", nil, "since=" + url.QueryEscape(typed), "Nothing was applied"},
		{"compare, from", base + "/compare", "from", url.Values{"to": {"2026-12-03"}}, "2 Dec 2026, 01:51 UTC to the end of 3 Dec 2026", "Nothing was compared"},
		{"compare, to", base + "/compare", "to", url.Values{"from": {"2025-05-01"}}, "the start of 1 May 2025 to 2 Dec 2026, 01:51 UTC", "Nothing was compared"},
		{"timeline", base + "/timeline", "as_of", nil, "As of 2 Dec 2026, 01:51 UTC", "Nothing was applied"},
	}
	for _, p := range pickers {
		t.Run(p.name, func(t *testing.T) {
			for _, tt := range []struct {
				value  string
				status int
				want   string
			}{
				{typed, http.StatusOK, p.shown},
				{"2026-12-02T02:51+01", http.StatusUnprocessableEntity, p.refused},
				{"06/01/2025", http.StatusUnprocessableEntity, "could be 6 Jan 2025 or 1 Jun 2025"},
			} {
				q := url.Values{p.param: {tt.value}}
				for k, v := range p.extra {
					q[k] = v
				}
				status, body, _ := viewer.get(p.page + "?" + q.Encode())
				text := strings.ReplaceAll(body, "&amp;", "&")
				if status != tt.status || !strings.Contains(text, tt.want) {
					t.Errorf("%s=%s: status %d (want %d), page lacks %q", p.param, tt.value, status, tt.status, tt.want)
				}
				if tt.status == http.StatusOK && (strings.Contains(body, "Nothing was") || strings.Contains(body, `class="error"`)) {
					t.Errorf("%s=%s is refused", p.param, tt.value)
				}
			}
		})
	}
}
