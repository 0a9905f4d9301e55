package ui_test

import (
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
)

var (
	referrerList = regexp.MustCompile(`(?s)<ul class="referrers">(.*?)</ul>`)
	ownedList    = regexp.MustCompile(`(?s)<ul class="referrers owned">(.*?)</ul>`)
	listItem     = regexp.MustCompile(`(?s)<li>(.*?)</li>`)
)

// items lists the entries of the first list the pattern finds, sorted.
func items(pattern *regexp.Regexp, page string) []string {
	m := pattern.FindStringSubmatch(page)
	if m == nil {
		return nil
	}
	var out []string
	for _, li := range listItem.FindAllStringSubmatch(m[1], -1) {
		out = append(out, li[1])
	}
	sort.Strings(out)
	return out
}

// TestDeletePageSaysWhatTheStoreDoes: the page that
// asks before a delete names what refers to the resource, and then offers
// no delete, exactly when the store would refuse it, naming the same
// records; otherwise it counts and lists what is deleted with it, and
// that is what goes.
func TestDeletePageSaysWhatTheStoreDoes(t *testing.T) {
	app := newApp(t)
	editor := app.signIn("editor")
	csrf := editor.csrf()
	ukraine := app.demandOf("Ukraine", "duration_days")
	cases := []struct {
		kind       domain.Kind
		id         string
		referred   bool
		ownedCount string
	}{
		{domain.KindParty, app.partyID("Russia"), true, ""},
		{domain.KindNegotiation, app.negotiation, true, ""},
		{domain.KindTopic, app.topicID("ceasefire"), true, ""},
		{domain.KindRound, app.find(domain.KindRound, func(domain.Resource) bool { return true }).Base().ID, true, ""},
		{domain.KindDemand, ukraine, false, "2 objections"},
	}
	for _, tc := range cases {
		t.Run(string(tc.kind), func(t *testing.T) {
			base := "/" + string(tc.kind) + "/" + tc.id + "/delete"
			status, page, _ := editor.get(base)
			before := items(referrerList, page)
			offered := strings.Contains(page, `type="submit" class="button danger"`)
			if status != http.StatusOK || (len(before) > 0) != tc.referred || offered == tc.referred {
				t.Fatalf("status %d, %d referrers named, delete offered %v", status, len(before), offered)
			}
			owned := items(ownedList, page)
			if tc.ownedCount != "" && (!strings.Contains(page, "Deleting it also deletes its "+tc.ownedCount+":") || len(owned) != 2) {
				t.Errorf("the page does not count and list what goes with it (%d listed)", len(owned))
			}
			r, err := app.store.Get(t.Context(), tc.kind, tc.id)
			if err != nil {
				t.Fatal(err)
			}
			res := editor.post(base, url.Values{"csrf": {csrf}, "version": {strconv.Itoa(r.Base().Version)}})
			if tc.referred {
				after := items(referrerList, res.body)
				if res.status != http.StatusConflict || strings.Join(after, "\n") != strings.Join(before, "\n") {
					t.Errorf("the store refused with %d, naming\n%s\nthe page named\n%s", res.status, strings.Join(after, "\n"), strings.Join(before, "\n"))
				}
				return
			}
			if res.status != http.StatusSeeOther {
				t.Fatalf("delete: status %d", res.status)
			}
			left, err := app.store.List(t.Context(), domain.ListQuery{Kind: domain.KindObjection, Refs: map[string]string{"demand_id": tc.id}, Limit: 10})
			if err != nil || len(left.Items) != 0 {
				t.Errorf("after the delete %d objections are left (%v)", len(left.Items), err)
			}
		})
	}
}
