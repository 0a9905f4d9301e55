package ui_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/parley/parley/domain"
)

// TestDemandPagePrintsDefinedTerms: a demand's page prints the terms its
// topic defines by their label and in the analyst's form, as the matrix
// and the reports do, not by their key.
func TestDemandPagePrintsDefinedTerms(t *testing.T) {
	app := newApp(t)
	viewer := app.signIn(domain.RoleViewer)
	d := app.find(domain.KindDemand, func(r domain.Resource) bool {
		return r.(*domain.Demand).Terms["duration_days"] != nil
	}).(*domain.Demand)
	status, page, _ := viewer.get("/demands/" + d.ID)
	if status != http.StatusOK {
		t.Fatalf("demand page: %d", status)
	}
	for _, want := range []string{"<dt>Ceasefire duration</dt><dd>30 days</dd>", "<dt>Unconditional</dt><dd>yes</dd>"} {
		if !strings.Contains(page, want) {
			t.Errorf("the demand page lacks %s", want)
		}
	}
	if strings.Contains(page, "<dt>duration days</dt>") {
		t.Error("the demand page labels a defined term by its key")
	}
}
