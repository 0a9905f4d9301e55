package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/parley/parley/store/storetest"
)

// TestImportRefusesHostileHistoryFile: `parley import` of an export whose
// history was tampered with (a revision body of the wrong types, which
// once made every as-of view of the negotiation fail) exits 1 naming the
// revision, and writes nothing.
func TestImportRefusesHostileHistoryFile(t *testing.T) {
	source, _ := withDemo(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	parley(t, "", "export", "-o", good, "--db", source).mustSucceed(t)
	b, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	revs := doc["revisions"].([]any)
	last := revs[len(revs)-1].(map[string]any)
	last["resource"].(map[string]any)["created_at"] = 20250516
	if b, err = json.Marshal(doc); err != nil {
		t.Fatal(err)
	}
	hostile := filepath.Join(dir, "hostile.json")
	if err := os.WriteFile(hostile, b, 0o600); err != nil {
		t.Fatal(err)
	}
	target := storetest.DSN(t)
	r := parley(t, "", "import", hostile, "--db", target)
	r.failsWith(t, 1, "revisions[")
	if want := regexp.MustCompile(`revisions\[\d+\]: resource is not a`); !want.MatchString(r.stderr) {
		t.Errorf("stderr %q does not name the revision and its fault", r.stderr)
	}
	parley(t, "", "import", good, "--db", target).mustSucceed(t)
}
