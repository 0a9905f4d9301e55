package api_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// redoclyCLI is the pinned version of the OpenAPI linter.
const redoclyCLI = "@redocly/cli@2.77.0"

// TestOpenAPILint lints the served document with Redocly's recommended
// rules and fails on any error or warning. It needs npx (Node.js); without
// it the test skips, except under CI=true, where a skip would hide a lint.
func TestOpenAPILint(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Redocly through npx: not in -short")
	}
	npx, err := exec.LookPath("npx")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("npx (Node.js) is needed to lint the OpenAPI document under CI")
		}
		t.Skip("npx (Node.js) is not installed")
	}
	e := newEnv(t)
	r := e.must(200, req{Method: "GET", Path: "/api/v1/openapi.json"})
	dir := t.TempDir()
	spec := filepath.Join(dir, "openapi.json")
	if err := os.WriteFile(spec, r.Body, 0o600); err != nil {
		t.Fatal(err)
	}
	// An empty configuration beside the document, so that a redocly.yaml
	// of whoever runs the test cannot change the rules.
	config := filepath.Join(dir, "redocly.yaml")
	if err := os.WriteFile(config, []byte("extends:\n  - recommended\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), npx, "--yes", redoclyCLI, "lint", "--config", config, "--format", "json", spec)
	cmd.Env = append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true")
	out, err := cmd.Output()
	var report struct {
		Totals struct {
			Errors   int `json:"errors"`
			Warnings int `json:"warnings"`
		} `json:"totals"`
		Problems []struct {
			RuleID   string `json:"ruleId"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
			Location []struct {
				Pointer string `json:"pointer"`
			} `json:"location"`
		} `json:"problems"`
	}
	if jerr := json.Unmarshal(out, &report); jerr != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("redocly lint: %v, %v\n%s\n%s", err, jerr, out, stderr)
	}
	for _, p := range report.Problems {
		where := ""
		if len(p.Location) > 0 {
			where = p.Location[0].Pointer
		}
		t.Errorf("%s %s at %s: %s", p.Severity, p.RuleID, where, p.Message)
	}
	if report.Totals.Errors+report.Totals.Warnings > 0 && len(report.Problems) == 0 {
		t.Errorf("redocly lint: %d errors, %d warnings", report.Totals.Errors, report.Totals.Warnings)
	}
}
