package api_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	// The generated client's runtime: imported here so that go.mod keeps
	// the version the client is built with (the client itself lives under
	// testdata, which go mod tidy does not read).
	_ "github.com/oapi-codegen/runtime"

	"github.com/parley/parley/api"
	"github.com/parley/parley/server"
	"github.com/parley/parley/store/storetest"
	"github.com/parley/parley/ui"
)

// TestGeneratedClient generates a Go client from the document the server
// serves, with oapi-codegen at the version go.mod pins as a tool and its
// default options, builds it, and runs testdata/genclient/drive_test.go
// with it against the real server over HTTP: sign in, create, a
// conditional patch, a list by cursor, the matrix, a report, and a 422 and
// a 412 decoded as problems. On PostgreSQL when PARLEY_TEST_DATABASE_URL
// is set, like every store-backed test.
func TestGeneratedClient(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated client: not in -short")
	}
	s := storetest.Open(t)
	username, _ := storetest.User(t, s, "editor")
	srv := httptest.NewServer(server.New(s, api.Options{RateLimit: -1}, ui.Options{}))
	t.Cleanup(srv.Close)

	// A fresh directory inside the module, so that the generated package
	// builds with this module's go.mod; under testdata, so that ./...
	// never sees it.
	dir, err := os.MkdirTemp("testdata", "genclient-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	spec := filepath.Join(dir, "openapi.json")
	if err := os.WriteFile(spec, servedDocument(t, srv.URL), 0o600); err != nil {
		t.Fatal(err)
	}
	driver, err := os.ReadFile(filepath.Join("testdata", "genclient", "drive_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "drive_test.go"), driver, 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, nil, "go", "tool", "oapi-codegen", "-config", filepath.Join("testdata", "genclient", "oapi-codegen.yaml"),
		"-o", filepath.Join(dir, "client.gen.go"), spec)
	run(t, []string{
		"PARLEY_CLIENT_SERVER=" + srv.URL + "/api/v1",
		"PARLEY_CLIENT_USERNAME=" + username,
		"PARLEY_CLIENT_PASSWORD=" + storetest.Password,
	}, "go", "test", "-count=1", "-v", "-run", "^TestGeneratedClientDrivesTheServer$", "./"+filepath.ToSlash(dir))
}

// servedDocument is GET /api/v1/openapi.json, as a client generator reads it.
func servedDocument(t *testing.T, base string) []byte {
	t.Helper()
	res, err := http.Get(base + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("openapi.json: %d %v", res.StatusCode, err)
	}
	return body
}

// run runs a command in the package's directory with env added to the
// test's environment, and fails the test with its output if it fails.
func run(t *testing.T, env []string, name string, args ...string) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), name, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	t.Logf("%s %v:\n%s", name, args, out)
}
