package main

// Process-level proofs of operation: the built binary under contention, killed
// with SIGKILL mid-burst, backed up while it writes, and run as two instances
// on one PostgreSQL database.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/store"
	"github.com/parley/parley/store/storetest"
)

// The binary is built once per run of the test binary and shared by every
// test that starts `parley serve` as a child process.
var (
	binaryOnce sync.Once
	binaryDir  string
	binaryPath string
	binaryErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binaryDir != "" {
		os.RemoveAll(binaryDir)
	}
	os.Exit(code)
}

// parleyBinary returns the path of the parley binary built from this
// package, building it on first use.
func parleyBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	binaryOnce.Do(func() {
		binaryDir, binaryErr = os.MkdirTemp("", "parley-bin-")
		if binaryErr != nil {
			return
		}
		binaryPath = filepath.Join(binaryDir, "parley")
		if out, err := exec.Command("go", "build", "-o", binaryPath, ".").CombinedOutput(); err != nil {
			binaryErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binaryErr != nil {
		t.Fatal(binaryErr)
	}
	return binaryPath
}

// serverProcess is one `parley serve` child process.
type serverProcess struct {
	cmd            *exec.Cmd
	stdout, stderr *syncBuffer
	exited         chan int
	base           string // http://127.0.0.1:PORT
}

// launchServer starts `parley serve` on db without waiting for it to listen,
// so that several can start at once. env is added to the test's environment.
func launchServer(t *testing.T, db string, env []string, args ...string) *serverProcess {
	t.Helper()
	cmd := exec.Command(parleyBinary(t), append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	s := &serverProcess{cmd: cmd, stdout: &syncBuffer{}, stderr: &syncBuffer{}, exited: make(chan int, 1)}
	cmd.Stdout, cmd.Stderr = s.stdout, s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_ = cmd.Wait()
		s.exited <- cmd.ProcessState.ExitCode()
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return s
}

// awaitListening waits for the server's "listening" log line.
func (s *serverProcess) awaitListening(t *testing.T) *serverProcess {
	t.Helper()
	s.base = "http://" + listeningAddr(t, s.stderr, s.exited)
	return s
}

func startServer(t *testing.T, db string, env []string, args ...string) *serverProcess {
	t.Helper()
	return launchServer(t, db, env, args...).awaitListening(t)
}

// adminPassword is the password serve printed for the admin it created, ""
// if it printed none.
func (s *serverProcess) adminPassword() string {
	if m := adminLine.FindStringSubmatch(s.stdout.String()); m != nil {
		return m[1]
	}
	return ""
}

// kill sends SIGKILL and waits for the process to be gone.
func (s *serverProcess) kill(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		t.Fatal("the process outlived SIGKILL")
	}
}

// stop sends SIGTERM and returns the exit code.
func (s *serverProcess) stop(t *testing.T) int {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-s.exited:
		return code
	case <-time.After(40 * time.Second):
		t.Fatal("serve did not stop after SIGTERM")
		return -1
	}
}

// logProblems returns the server's log lines that show a failure a client
// could have caused or seen: a 5xx status or SQLite's "database is locked".
func (s *serverProcess) logProblems() []string {
	var problems []string
	for _, line := range strings.Split(s.stderr.String(), "\n") {
		var entry struct{ Status int }
		if strings.Contains(strings.ToLower(line), "database is locked") ||
			json.Unmarshal([]byte(line), &entry) == nil && entry.Status >= 500 {
			problems = append(problems, line)
		}
	}
	return problems
}

// logField returns a field of the server's "listening" log line.
func (s *serverProcess) logField(name string) string {
	for _, line := range strings.Split(s.stderr.String(), "\n") {
		var entry map[string]any
		if json.Unmarshal([]byte(line), &entry) == nil && entry["msg"] == "listening" {
			v, _ := entry[name].(string)
			return v
		}
	}
	return ""
}

// client speaks to one server as one user. Its methods return errors
// rather than failing the test, since they run on worker goroutines.
type client struct {
	base, token string
}

// httpClient is shared by every worker so that connections are reused; the
// default transport keeps only two idle connections per host.
var httpClient = &http.Client{
	Timeout:   60 * time.Second,
	Transport: &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64},
}

// reply is what the server answered.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request; body (if not nil) is sent as JSON, or as a merge
// patch for PATCH. headers are name, value pairs.
func (c client) do(method, path string, body any, headers ...string) (reply, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return reply{}, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		return reply{}, err
	}
	if body != nil {
		ct := "application/json"
		if method == http.MethodPatch {
			ct = "application/merge-patch+json"
		}
		req.Header.Set("Content-Type", ct)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{}, err
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// create posts a resource and returns its id; anything but 201 is an error.
func (c client) create(collection string, body any) (string, error) {
	r, err := c.do(http.MethodPost, "/api/v1/"+collection, body)
	if err != nil {
		return "", err
	}
	if r.status != http.StatusCreated {
		return "", fmt.Errorf("create %s: %d %s", collection, r.status, r.body)
	}
	var out struct{ ID string }
	if err := json.Unmarshal(r.body, &out); err != nil || out.ID == "" {
		return "", fmt.Errorf("create %s: no id in %s", collection, r.body)
	}
	return out.ID, nil
}

// listedParty is what the tests read back of a party.
type listedParty struct {
	ID      string
	Name    string
	Notes   string
	Version int
}

// listParties pages through every party whose text matches q.
func (c client) listParties(q string) ([]listedParty, error) {
	var all []listedParty
	cursor := ""
	for {
		path := "/api/v1/parties?limit=500&q=" + url.QueryEscape(q)
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		r, err := c.do(http.MethodGet, path, nil)
		if err != nil {
			return nil, err
		}
		if r.status != http.StatusOK {
			return nil, fmt.Errorf("list parties: %d %s", r.status, r.body)
		}
		var page struct {
			Items      []listedParty
			NextCursor *string `json:"next_cursor"`
		}
		if err := json.Unmarshal(r.body, &page); err != nil {
			return nil, fmt.Errorf("list parties: %v", err)
		}
		all = append(all, page.Items...)
		if page.NextCursor == nil || *page.NextCursor == "" {
			return all, nil
		}
		cursor = *page.NextCursor
	}
}

// signIn logs in through the API and returns a client holding the token.
func signIn(t *testing.T, base, username, password string) client {
	t.Helper()
	return client{base: base, token: login(t, base, username, password)}
}

// contentionDuration is how long the contention phases run: 15 s, or
// PARLEY_CONTENTION_SECONDS to shorten them locally.
func contentionDuration(t *testing.T) time.Duration {
	t.Helper()
	v := os.Getenv("PARLEY_CONTENTION_SECONDS")
	if v == "" {
		return 15 * time.Second
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || n <= 0 {
		t.Fatalf("PARLEY_CONTENTION_SECONDS=%q is not a positive number of seconds", v)
	}
	return time.Duration(n * float64(time.Second))
}

// problemLog collects what went wrong on worker goroutines.
type problemLog struct {
	mu    sync.Mutex
	items []string
}

func (p *problemLog) add(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.items = append(p.items, fmt.Sprintf(format, args...))
}

// report fails the test with the first problems, if any.
func (p *problemLog) report(t *testing.T, what string) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.items) > 0 {
		t.Errorf("%s: %d problems, the first: %s", what, len(p.items), strings.Join(p.items[:min(5, len(p.items))], "\n"))
	}
}

// demandWithCounter creates a negotiation with one party, one topic and one
// demand whose terms hold {"counter": 0}, and returns the demand's id.
func demandWithCounter(c client, label string) (string, error) {
	party, err := c.create("parties", map[string]any{"name": label + " party"})
	if err != nil {
		return "", err
	}
	negotiation, err := c.create("negotiations", map[string]any{
		"title":        label + " talks",
		"participants": []map[string]string{{"party_id": party, "role": "principal"}},
	})
	if err != nil {
		return "", err
	}
	topic, err := c.create("topics", map[string]any{"negotiation_id": negotiation, "title": "ceasefire"})
	if err != nil {
		return "", err
	}
	return c.create("demands", map[string]any{
		"negotiation_id": negotiation, "party_id": party, "topic_id": topic,
		"title": "A 30-day ceasefire", "stated_on": "2025-05-16",
		"terms": map[string]any{"counter": 0},
	})
}

// demandState is a demand's version and counter term as read back.
type demandState struct {
	etag    string
	version int
	counter int
}

func readDemand(c client, id string) (demandState, error) {
	r, err := c.do(http.MethodGet, "/api/v1/demands/"+id, nil)
	if err != nil {
		return demandState{}, err
	}
	if r.status != http.StatusOK {
		return demandState{}, fmt.Errorf("get demand: %d %s", r.status, r.body)
	}
	var d struct {
		Version int
		Terms   struct{ Counter int }
	}
	if err := json.Unmarshal(r.body, &d); err != nil {
		return demandState{}, fmt.Errorf("get demand: %v", err)
	}
	return demandState{etag: r.header.Get("ETag"), version: d.Version, counter: d.Terms.Counter}, nil
}

// bumpTally counts the answers to the conditional updates.
type bumpTally struct {
	ok, stale int64
	problems  problemLog
}

// bumpConcurrently runs workers that each, until the deadline, read the
// demand through one server and bump its counter term with If-Match through
// the next one (the same one when there is only one): a 200 means the bump
// was based on the current state, a 412 that another worker got there first.
func bumpConcurrently(servers []client, demandID string, workers int, d time.Duration) *bumpTally {
	tally := &bumpTally{}
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for w := range workers {
		reader, writer := servers[w%len(servers)], servers[(w+1)%len(servers)]
		wg.Go(func() {
			for time.Now().Before(deadline) {
				cur, err := readDemand(reader, demandID)
				if err != nil {
					tally.problems.add("worker %d: %v", w, err)
					return
				}
				r, err := writer.do(http.MethodPatch, "/api/v1/demands/"+demandID,
					map[string]any{"terms": map[string]any{"counter": cur.counter + 1}}, "If-Match", cur.etag)
				if err != nil {
					tally.problems.add("worker %d: %v", w, err)
					return
				}
				if bytes.Contains(bytes.ToLower(r.body), []byte("database is locked")) {
					tally.problems.add("worker %d: %d %s", w, r.status, r.body)
				}
				switch r.status {
				case http.StatusOK:
					atomic.AddInt64(&tally.ok, 1)
				case http.StatusPreconditionFailed:
					atomic.AddInt64(&tally.stale, 1)
				default:
					tally.problems.add("worker %d: PATCH answered %d %s", w, r.status, r.body)
				}
			}
		})
	}
	wg.Wait()
	return tally
}

// checkBumps asserts that every 200 is counted exactly once in the final
// state of the demand.
func checkBumps(t *testing.T, c client, demandID string, tally *bumpTally) {
	t.Helper()
	tally.problems.report(t, "conditional updates")
	final, err := readDemand(c, demandID)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("conditional updates: %d × 200, %d × 412; final version %d, counter %d",
		tally.ok, tally.stale, final.version, final.counter)
	if tally.ok == 0 || tally.stale == 0 {
		t.Errorf("no contention to speak of: %d × 200, %d × 412", tally.ok, tally.stale)
	}
	if int64(final.version) != 1+tally.ok {
		t.Errorf("final version %d, want 1 + %d successful updates", final.version, tally.ok)
	}
	if int64(final.counter) != tally.ok {
		t.Errorf("final counter %d, want %d (one per 200)", final.counter, tally.ok)
	}
}

// createConcurrently has workers create perWorker parties each at once,
// spread over the servers, and returns the ids of the 201s.
func createConcurrently(servers []client, label string, workers, perWorker int) ([]string, *problemLog) {
	var (
		mu       sync.Mutex
		ids      []string
		problems problemLog
		wg       sync.WaitGroup
	)
	start := make(chan struct{})
	for w := range workers {
		c := servers[w%len(servers)]
		wg.Go(func() {
			<-start
			for i := range perWorker {
				id, err := c.create("parties", map[string]any{"name": fmt.Sprintf("%s w%d n%d", label, w, i)})
				if err != nil {
					problems.add("worker %d: %v", w, err)
					return
				}
				mu.Lock()
				ids = append(ids, id)
				mu.Unlock()
			}
		})
	}
	close(start)
	wg.Wait()
	return ids, &problems
}

// checkCreated asserts that the ids listed under q are exactly the ids
// created.
func checkCreated(t *testing.T, c client, q string, created []string, want int) {
	t.Helper()
	listed, err := c.listParties(q)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("concurrent creates: %d created, %d listed back", len(created), len(listed))
	if len(created) != want || len(listed) != want {
		t.Errorf("%d created and %d listed, want %d", len(created), len(listed), want)
	}
	got := make([]string, len(listed))
	for i, p := range listed {
		got[i] = p.ID
	}
	slices.Sort(got)
	created = slices.Clone(created)
	slices.Sort(created)
	if !slices.Equal(got, created) {
		t.Error("the parties listed are not the parties created")
	}
}

// TestContentionSQLite: 16 clients bump one demand with conditional updates
// against the real server over a real SQLite file, then 8 clients create 100
// parties each at once. Nothing is lost, counted twice, locked out or 5xx.
func TestContentionSQLite(t *testing.T) {
	db := filepath.Join(t.TempDir(), "contention.db")
	srv := startServer(t, db, nil)
	c := signIn(t, srv.base, "admin", srv.adminPassword())

	demandID, err := demandWithCounter(c, "Contention")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	tally := bumpConcurrently([]client{c}, demandID, 16, contentionDuration(t))
	t.Logf("16 clients bumping one demand for %s", time.Since(start).Round(time.Millisecond))
	checkBumps(t, c, demandID, tally)

	start = time.Now()
	ids, problems := createConcurrently([]client{c}, "contention", 8, 100)
	t.Logf("8 clients × 100 creates took %s", time.Since(start).Round(time.Millisecond))
	problems.report(t, "concurrent creates")
	checkCreated(t, c, "contention w", ids, 800)

	if code := srv.stop(t); code != 0 {
		t.Errorf("serve exited %d", code)
	}
	if p := srv.logProblems(); len(p) > 0 {
		t.Errorf("%d server log lines with a 5xx or a locked database, the first: %s", len(p), p[0])
	}
}

// TestCrashSafety bursts writes from several clients at the built binary,
// kills it with SIGKILL mid-burst, and finds every write that had been
// acknowledged, in a database that passes integrity_check — with either
// synchronous setting (both keep committed transactions across a process
// crash; they differ only on a power loss).
func TestCrashSafety(t *testing.T) {
	tests := []struct {
		name     string
		env      []string
		args     []string
		wantSync string
	}{
		{"NORMAL by flag", nil, []string{"--synchronous", "normal"}, "NORMAL"},
		{"FULL by PARLEY_SYNCHRONOUS", []string{"PARLEY_SYNCHRONOUS=FULL"}, nil, "FULL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "crash.db")
			srv := startServer(t, db, tt.env, tt.args...)
			if got := srv.logField("synchronous"); got != tt.wantSync {
				t.Errorf("serve runs with synchronous %q, want %q", got, tt.wantSync)
			}
			c := signIn(t, srv.base, "admin", srv.adminPassword())
			label := "crash " + strings.ToLower(tt.wantSync)
			b := burstUntilKilled(t, srv, c, label, 6, 1000)
			t.Logf("acknowledged before SIGKILL: %d creates, %d updates; %d requests cut off in flight",
				len(b.created), b.updates, b.cutOff)

			// The file as the crash left it: SQLite recovers the WAL on open.
			s, err := store.Open(context.Background(), db, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.IntegrityCheck(context.Background()); err != nil {
				t.Errorf("after SIGKILL: %v", err)
			}
			s.Close()

			again := startServer(t, db, tt.env, tt.args...)
			if again.adminPassword() != "" {
				t.Error("the restart created the admin again: the users were lost")
			}
			// The token issued before the crash is in the database too.
			c.base = again.base
			listed, err := c.listParties(label)
			if err != nil {
				t.Fatal(err)
			}
			found := make(map[string]listedParty, len(listed))
			for _, p := range listed {
				found[p.ID] = p
			}
			missing := 0
			for _, id := range b.created {
				if _, ok := found[id]; !ok {
					missing++
				}
			}
			t.Logf("after restart: %d of %d acknowledged creates found (%d parties in all)",
				len(b.created)-missing, len(b.created), len(listed))
			if missing > 0 {
				t.Errorf("%d acknowledged creates lost", missing)
			}
			for id, acked := range b.ownVersion {
				p, ok := found[id]
				// The last update may have committed without its answer
				// arriving: one version more is allowed, one less is a loss.
				switch {
				case !ok:
					t.Errorf("party %s is gone", id)
				case p.Version != acked && p.Version != acked+1:
					t.Errorf("party %s at version %d, but version %d was acknowledged", id, p.Version, acked)
				case p.Version > 1 && p.Notes != fmt.Sprintf("version %d", p.Version):
					t.Errorf("party %s at version %d has notes %q", id, p.Version, p.Notes)
				}
			}
			if code := again.stop(t); code != 0 {
				t.Errorf("the restarted serve exited %d", code)
			}
			if p := append(srv.logProblems(), again.logProblems()...); len(p) > 0 {
				t.Errorf("%d server log lines with a 5xx or a locked database, the first: %s", len(p), p[0])
			}
		})
	}
}

// burst is what was acknowledged before the kill.
type burst struct {
	created    []string       // ids of 201s
	ownVersion map[string]int // each worker's own party: the last version acknowledged
	updates    int            // 200s to conditional updates
	cutOff     int            // requests sent before the kill that got no answer
}

// burstUntilKilled runs workers that alternate creating a party and
// updating their own party conditionally, and SIGKILLs the server once
// killAfter writes have been acknowledged, while the workers are still busy.
func burstUntilKilled(t *testing.T, srv *serverProcess, c client, label string, workers, killAfter int) *burst {
	t.Helper()
	var (
		mu       sync.Mutex
		b        = &burst{ownVersion: map[string]int{}}
		acked    atomic.Int64
		stopped  atomic.Bool // set after the kill: errors are then expected
		problems problemLog
		wg       sync.WaitGroup
	)
	for w := range workers {
		wg.Go(func() {
			own, err := c.create("parties", map[string]any{"name": fmt.Sprintf("%s own %d", label, w)})
			if err != nil {
				problems.add("worker %d: %v", w, err)
				return
			}
			mu.Lock()
			b.created = append(b.created, own)
			b.ownVersion[own] = 1
			mu.Unlock()
			acked.Add(1)
			version := 1
			for i := 0; ; i++ {
				var r reply
				beforeKill := !stopped.Load()
				if i%2 == 0 {
					r, err = c.do(http.MethodPost, "/api/v1/parties", map[string]any{"name": fmt.Sprintf("%s w%d n%d", label, w, i)})
				} else {
					r, err = c.do(http.MethodPatch, "/api/v1/parties/"+own,
						map[string]any{"notes": fmt.Sprintf("version %d", version+1)}, "If-Match", strconv.Quote(strconv.Itoa(version)))
				}
				if err != nil {
					switch {
					case !stopped.Load():
						problems.add("worker %d before the kill: %v", w, err)
					case beforeKill:
						mu.Lock()
						b.cutOff++
						mu.Unlock()
					}
					return
				}
				switch {
				case i%2 == 0 && r.status == http.StatusCreated:
					var p listedParty
					if err := json.Unmarshal(r.body, &p); err != nil || p.ID == "" {
						problems.add("worker %d: create answered %s", w, r.body)
						return
					}
					mu.Lock()
					b.created = append(b.created, p.ID)
					mu.Unlock()
				case i%2 == 1 && r.status == http.StatusOK:
					version++
					mu.Lock()
					b.ownVersion[own] = version
					b.updates++
					mu.Unlock()
				default:
					problems.add("worker %d: %d %s", w, r.status, r.body)
					return
				}
				acked.Add(1)
			}
		})
	}
	deadline := time.Now().Add(60 * time.Second)
	for acked.Load() < int64(killAfter) && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if acked.Load() < int64(killAfter) {
		t.Fatalf("only %d writes acknowledged in a minute", acked.Load())
	}
	stopped.Store(true)
	srv.kill(t)
	wg.Wait()
	problems.report(t, "the burst")
	return b
}

// TestBackupWhileServing takes `parley backup` of a SQLite database while
// the server keeps writing, checks the copy, and brings it back with
// `parley restore` and with export and import.
func TestBackupWhileServing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	srv := startServer(t, db, nil)
	c := signIn(t, srv.base, "admin", srv.adminPassword())

	var (
		mu       sync.Mutex
		created  []string
		stop     atomic.Bool
		problems problemLog
		wg       sync.WaitGroup
	)
	for w := range 3 {
		wg.Go(func() {
			for i := 0; !stop.Load(); i++ {
				id, err := c.create("parties", map[string]any{"name": fmt.Sprintf("backup w%d n%d", w, i)})
				if err != nil {
					problems.add("worker %d: %v", w, err)
					return
				}
				mu.Lock()
				created = append(created, id)
				mu.Unlock()
			}
		})
	}
	acknowledged := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(created)
	}
	// Writers that fail stop, so the wait is bounded.
	for deadline := time.Now().Add(60 * time.Second); len(acknowledged()) < 100; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			stop.Store(true)
			wg.Wait()
			problems.report(t, "writes before the backup")
			t.Fatalf("only %d writes acknowledged in a minute", len(acknowledged()))
		}
	}

	copyPath := filepath.Join(dir, "copy.db")
	before := acknowledged()
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, parleyBinary(t), "backup", "-o", copyPath, "--db", db).CombinedOutput()
	took := time.Since(start)
	after := acknowledged()
	time.Sleep(200 * time.Millisecond) // the writers go on after the backup
	stop.Store(true)
	wg.Wait()
	problems.report(t, "writes during the backup")
	if err != nil {
		t.Fatalf("parley backup: %v\n%s", err, out)
	}
	total := len(acknowledged())
	t.Logf("backup took %s with writers running; %d writes acknowledged before it, %d when it returned, %d in all",
		took.Round(time.Millisecond), len(before), len(after), total)
	if total <= len(after) {
		t.Error("the writers made no progress after the backup")
	}
	if code := srv.stop(t); code != 0 {
		t.Errorf("serve exited %d", code)
	}
	if p := srv.logProblems(); len(p) > 0 {
		t.Errorf("%d server log lines with a 5xx or a locked database, the first: %s", len(p), p[0])
	}

	// Restore by copying the backup into place, before anything opens the
	// copy (restore refuses a file with a write-ahead log beside it).
	restored := filepath.Join(dir, "restored.db")
	r := parley(t, "", "restore", copyPath, "--db", restored).mustSucceed(t)
	if !strings.Contains(r.stdout, "Restored "+copyPath) {
		t.Errorf("restore said %q", r.stdout)
	}
	parley(t, "", "restore", copyPath, "--db", restored).failsWith(t, 1, "already exists")

	inCopy := partyIDs(t, copyPath)
	t.Logf("the copy holds %d parties", len(inCopy))
	for _, id := range before {
		if !inCopy[id] {
			t.Fatalf("party %s, acknowledged before the backup began, is not in the copy", id)
		}
	}
	if len(inCopy) > len(after)+3 { // at most one write in flight per writer
		t.Errorf("the copy holds %d parties, more than the %d written by the time it returned", len(inCopy), len(after))
	}
	if got := partyIDs(t, restored); len(got) != len(inCopy) {
		t.Errorf("the restored database holds %d parties, the copy %d", len(got), len(inCopy))
	}

	// Restore by export and import, which also moves data between SQLite
	// and PostgreSQL.
	dump := filepath.Join(dir, "dump.json")
	parley(t, "", "export", "-o", dump, "--db", copyPath).mustSucceed(t)
	imported := filepath.Join(dir, "imported.db")
	parley(t, "", "import", dump, "--db", imported).mustSucceed(t)
	if got := partyIDs(t, imported); len(got) != len(inCopy) {
		t.Errorf("the imported database holds %d parties, the copy %d", len(got), len(inCopy))
	}
}

// partyIDs opens a SQLite database file, checks its integrity and returns
// the ids of its parties.
func partyIDs(t *testing.T, path string) map[string]bool {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Errorf("%s: %v", filepath.Base(path), err)
	}
	ids := map[string]bool{}
	q := domain.ListQuery{Kind: domain.KindParty, Limit: 500}
	for {
		page, err := s.List(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Items {
			ids[r.Base().ID] = true
		}
		if page.NextCursor == "" {
			return ids
		}
		q.Cursor = page.NextCursor
	}
}

func TestRestoreRefuses(t *testing.T) {
	dir := t.TempDir()
	notADatabase := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notADatabase, []byte("these are not the tables you are looking for"), 0o600); err != nil {
		t.Fatal(err)
	}
	emptySQLite := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(emptySQLite, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	busy := filepath.Join(dir, "busy.db")
	for _, p := range []string{busy, busy + "-wal"} {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name   string
		source string
		target string
		code   int
		want   string
	}{
		{"missing source", filepath.Join(dir, "missing.db"), filepath.Join(dir, "t1.db"), 1, "missing.db"},
		{"not a database", notADatabase, filepath.Join(dir, "t2.db"), 1, "notes.txt"},
		{"not a parley database", emptySQLite, filepath.Join(dir, "t3.db"), 1, "not a parley database"},
		{"source in use", busy, filepath.Join(dir, "t4.db"), 1, "write-ahead log"},
		{"postgres target", emptySQLite, "postgres://postgres@127.0.0.1:5432/test", 2, "pg_restore"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parley(t, "", "restore", tt.source, "--db", tt.target).failsWith(t, tt.code, tt.want)
			if strings.HasPrefix(tt.target, "postgres") {
				return
			}
			for _, p := range []string{tt.target, tt.target + "-wal", tt.target + "-shm"} {
				if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("a refused restore left %s behind", filepath.Base(p))
				}
			}
		})
	}
	if r := parley(t, "", "restore", "--help").mustSucceed(t); !strings.Contains(r.stdout, "never overwrites") {
		t.Errorf("restore --help says %q", r.stdout)
	}
}

// TestSeveralInstancesPostgres starts two `parley serve` processes at once on
// one fresh PostgreSQL schema: their migrations and first admin do not
// collide, conditional updates through both lose nothing, a token from one
// works on the other, and sign-in throttling counts across both.
func TestSeveralInstancesPostgres(t *testing.T) {
	// Unset under CI is a mistake; set but empty is .ci/run's deliberate
	// SQLite pass.
	if dsn, set := os.LookupEnv(storetest.EnvDatabaseURL); dsn == "" {
		if os.Getenv("CI") == "true" && !set {
			t.Fatalf("CI=true but %s is unset: the several-instances test needs PostgreSQL", storetest.EnvDatabaseURL)
		}
		t.Skipf("set %s to a PostgreSQL URL to run two instances on one database", storetest.EnvDatabaseURL)
	}
	db := storetest.DSN(t)
	a, b := launchServer(t, db, nil), launchServer(t, db, nil)
	a.awaitListening(t)
	b.awaitListening(t)
	password := a.adminPassword()
	if pb := b.adminPassword(); (password == "") == (pb == "") {
		t.Fatalf("want exactly one instance to create the admin; A printed %q, B printed %q", a.stdout.String(), b.stdout.String())
	} else if password == "" {
		password = pb
	}

	ca, cb := signIn(t, a.base, "admin", password), signIn(t, b.base, "admin", password)
	for _, tt := range []struct {
		name  string
		token string
		base  string
	}{
		{"A's token on B", ca.token, b.base},
		{"B's token on A", cb.token, a.base},
	} {
		if code, body := get(t, tt.base+"/api/v1/parties", tt.token); code != http.StatusOK {
			t.Errorf("%s: %d %s", tt.name, code, body)
		}
	}

	demandID, err := demandWithCounter(ca, "Two instances")
	if err != nil {
		t.Fatal(err)
	}
	tally := bumpConcurrently([]client{ca, cb}, demandID, 16, contentionDuration(t))
	checkBumps(t, cb, demandID, tally)

	ids, problems := createConcurrently([]client{ca, cb}, "two instances", 8, 100)
	problems.report(t, "concurrent creates")
	checkCreated(t, ca, "two instances w", ids, 800)

	// Five failed sign-ins through A lock the user out on B, even with the
	// right password.
	const user, pass = "throttled", "a long passphrase"
	if r, err := ca.do(http.MethodPost, "/api/v1/users", map[string]string{"username": user, "password": pass, "role": "viewer"}); err != nil || r.status != http.StatusCreated {
		t.Fatalf("create user: %v %d %s", err, r.status, r.body)
	}
	anon := func(base string) client { return client{base: base} }
	for i := range 5 {
		r, err := anon(a.base).do(http.MethodPost, "/api/v1/auth/login", map[string]string{"username": user, "password": "wrong guess " + strconv.Itoa(i)})
		if err != nil || r.status != http.StatusUnauthorized {
			t.Fatalf("failed sign-in %d through A: %v %d %s", i+1, err, r.status, r.body)
		}
	}
	r, err := anon(b.base).do(http.MethodPost, "/api/v1/auth/login", map[string]string{"username": user, "password": pass})
	if err != nil || r.status != http.StatusTooManyRequests {
		t.Errorf("sign-in through B after five failures through A: %v %d %s, want 429", err, r.status, r.body)
	}

	for name, s := range map[string]*serverProcess{"A": a, "B": b} {
		if code := s.stop(t); code != 0 {
			t.Errorf("%s exited %d", name, code)
		}
		if p := s.logProblems(); len(p) > 0 {
			t.Errorf("%s: %d log lines with a 5xx, the first: %s", name, len(p), p[0])
		}
	}
}
