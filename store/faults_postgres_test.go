package store_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/store"
	"github.com/parley/parley/store/storetest"
)

// defaultPostgresURL is where the fault tests look for PostgreSQL when
// PARLEY_TEST_DATABASE_URL is unset.
const defaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// postgresForFaults returns the PostgreSQL URL to test against: the
// variable's, or defaultPostgresURL when it is unset. The test skips when
// no server answers there, and fails instead under CI=true, where one
// must. Set but empty is CI's deliberate SQLite pass.
func postgresForFaults(t *testing.T) string {
	t.Helper()
	base, set := os.LookupEnv(storetest.EnvDatabaseURL)
	if set && base == "" {
		t.Skipf("%s is set but empty: a SQLite pass", storetest.EnvDatabaseURL)
	}
	if !set {
		base = defaultPostgresURL
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but PostgreSQL does not answer at %s: %v", base, err)
		}
		t.Skipf("no PostgreSQL at %s (%v): start one or set %s", base, err, storetest.EnvDatabaseURL)
	}
	_ = conn.Close(ctx)
	return base
}

// tcpProxy stands between parley and PostgreSQL on loopback, so that a test
// can cut the connections as a restart or a network failure would.
type tcpProxy struct {
	ln     net.Listener
	target string

	mu      sync.Mutex
	refuse  bool
	conns   map[net.Conn]struct{}
	pending sync.WaitGroup
}

func newTCPProxy(t *testing.T, target string) *tcpProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	go p.serve()
	t.Cleanup(func() {
		_ = ln.Close()
		p.cut(true)
		p.pending.Wait()
	})
	return p
}

func (p *tcpProxy) addr() string { return p.ln.Addr().String() }

func (p *tcpProxy) serve() {
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		refuse := p.refuse
		p.mu.Unlock()
		if refuse {
			reset(client)
			continue
		}
		server, err := net.DialTimeout("tcp", p.target, 2*time.Second)
		if err != nil {
			reset(client)
			continue
		}
		p.mu.Lock()
		p.conns[client], p.conns[server] = struct{}{}, struct{}{}
		p.mu.Unlock()
		p.pending.Add(2)
		go p.pipe(server, client)
		go p.pipe(client, server)
	}
}

// pipe copies one direction until either side goes, then closes both.
func (p *tcpProxy) pipe(dst, src net.Conn) {
	defer p.pending.Done()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				break
			}
		}
		if err != nil {
			break
		}
	}
	p.mu.Lock()
	delete(p.conns, dst)
	delete(p.conns, src)
	p.mu.Unlock()
	_ = dst.Close()
	_ = src.Close()
}

// cut resets every connection through the proxy; with refuse, new ones are
// reset as soon as they arrive until restore, as while a server is down.
func (p *tcpProxy) cut(refuse bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refuse = refuse
	for c := range p.conns {
		reset(c)
		delete(p.conns, c)
	}
}

func (p *tcpProxy) restore() {
	p.mu.Lock()
	p.refuse = false
	p.mu.Unlock()
}

// reset closes a connection with a TCP reset rather than an orderly close,
// as a dying server or a broken network path leaves it.
func reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.Close()
}

// terminateSessions ends every session named appName with
// pg_terminate_backend, which is what a fast shutdown sends each of them.
func terminateSessions(ctx context.Context, base, appName string) (int, error) {
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return 0, err
	}
	defer conn.Close(ctx)
	var n int
	err = conn.QueryRow(ctx, "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1) t", appName).Scan(&n)
	return n, err
}

// readyWatch polls /readyz and remembers when each status was first seen
// after a given moment.
type readyWatch struct {
	mu   sync.Mutex
	seen []answer
}

func (w *readyWatch) run(fs *faultServer, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-time.After(50 * time.Millisecond):
		}
		a := fs.do(http.MethodGet, "/readyz", nil)
		w.mu.Lock()
		w.seen = append(w.seen, a)
		w.mu.Unlock()
	}
}

// first is how long after since /readyz first answered status, or -1.
func (w *readyWatch) first(status int, since time.Time) time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, a := range w.seen {
		if a.at.After(since) && a.status == status {
			return a.at.Sub(since)
		}
	}
	return -1
}

// TestOutagePostgres runs the real router on PostgreSQL through a TCP proxy
// and, under a steady load of reads and writes, terminates every session
// of the server (the 57P01 a fast restart sends), then resets every
// connection, then cuts the server off for two seconds: nothing answers
// 500, a failure is a 503 with Retry-After naming the cause, reads survive
// the terminations and the reset by retrying on a fresh connection, /readyz
// follows the outage within a second each way, the first request after it
// succeeds, a form sent during it comes back ready to send again, and every
// acknowledged write is in the database exactly once.
func TestOutagePostgres(t *testing.T) {
	base := postgresForFaults(t)
	t.Setenv(storetest.EnvDatabaseURL, base)
	ctx := context.Background()
	dsn := storetest.DSN(t)
	direct, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = direct.Close() })
	if _, err := direct.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	user, token := storetest.User(t, direct, "editor")

	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newTCPProxy(t, u.Host)
	u.Host = proxy.addr()
	// The server's sessions carry a name of their own, so that the test
	// can terminate exactly them.
	appName := "parley-outage-" + strings.TrimPrefix(u.Query().Get("search_path"), "parley_test_")
	params := u.Query()
	params.Set("application_name", appName)
	u.RawQuery = params.Encode()
	s, err := store.Open(ctx, u.String(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	fs := newFaultServer(t, s, user, token)
	browser := fs.signIn(t)
	seed := fs.do(http.MethodPost, "/api/v1/parties", map[string]any{"name": "Seeded before the outage"})
	if seed.status != http.StatusCreated {
		t.Fatalf("seed: %d", seed.status)
	}

	stop, watchStop := make(chan struct{}), make(chan struct{})
	var watch readyWatch
	go watch.run(fs, watchStop)
	reads := []string{"/api/v1/parties?limit=5", "/api/v1/parties/" + seed.id}
	var answers []answer
	loaded := make(chan struct{})
	go func() {
		answers = fs.load("outage", reads, 3, 3, 4000, stop)
		close(loaded)
	}()

	time.Sleep(time.Second)
	// What a fast restart does to every session before it goes down:
	// FATAL 57P01, terminating connection due to administrator command.
	terminateAt := time.Now()
	terminated, err := terminateSessions(ctx, base, appName)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)

	resetAt := time.Now()
	proxy.cut(false)
	time.Sleep(1500 * time.Millisecond)

	downAt := time.Now()
	proxy.cut(true)
	time.Sleep(time.Second)
	form := url.Values{"name": {"Typed during the outage"}, "notes": {"kept for the user"}}
	status, header, page := browser.postForm(t, fs.url+"/parties/new", form)
	pageStatus, pageBody := browser.get(t, fs.url+"/parties")
	time.Sleep(time.Second)

	upAt := time.Now()
	proxy.restore()
	first := fs.do(http.MethodGet, "/api/v1/parties/"+seed.id, nil)
	firstTook := time.Since(upAt)
	time.Sleep(1500 * time.Millisecond)
	close(stop)
	<-loaded
	close(watchStop)

	checkAnswers(t, answers, http.StatusServiceUnavailable, string(domain.FaultUnreachable), string(domain.FaultRestarting))
	n := count(answers)
	var during []answer
	for _, a := range answers {
		// Answered before the server went away: only the terminations and
		// the reset touched it.
		if !a.write && a.at.After(terminateAt) && a.done.Before(downAt) && a.status != http.StatusOK {
			during = append(during, a)
		}
	}
	if len(during) > 0 {
		t.Errorf("%d reads failed after the sessions were terminated or reset with the server still up, the first: %d %q; a read is retried on a fresh connection",
			len(during), during[0].status, during[0].problem)
	}
	if terminated == 0 {
		t.Error("no session of the server was terminated")
	}
	t.Logf("outage: %d requests (%d reads, %d writes): %d answered 503, %d writes acknowledged",
		n.requests, n.reads, n.writes, n.byStatus[http.StatusServiceUnavailable], len(n.acked))
	for _, phase := range []struct {
		name     string
		from, to time.Time
	}{{fmt.Sprintf("%d sessions terminated (57P01)", terminated), terminateAt, resetAt}, {"connections reset, server up", resetAt, downAt}, {"server cut off", downAt, upAt}, {"after recovery", upAt, time.Now()}} {
		var in []answer
		for _, a := range answers {
			if !a.done.Before(phase.from) && a.done.Before(phase.to) {
				in = append(in, a)
			}
		}
		p := count(in)
		failedReads := 0
		for _, a := range in {
			if !a.write && a.status != http.StatusOK {
				failedReads++
			}
		}
		t.Logf("  %s (%v): %d answers, %d of them 503 (%d of %d reads, %d of %d writes)", phase.name, phase.to.Sub(phase.from).Round(100*time.Millisecond),
			p.requests, p.byStatus[http.StatusServiceUnavailable], failedReads, p.reads, p.byStatus[http.StatusServiceUnavailable]-failedReads, p.writes)
	}
	for _, a := range answers {
		if a.write && a.at.After(upAt) && a.status == http.StatusCreated {
			t.Logf("  first write acknowledged %v after recovery", a.done.Sub(upAt).Round(time.Millisecond))
			break
		}
	}

	if first.status != http.StatusOK {
		t.Errorf("the first request after recovery answered %d %q", first.status, first.problem)
	}
	down, up := watch.first(http.StatusServiceUnavailable, downAt), watch.first(http.StatusOK, upAt)
	t.Logf("first request after recovery: %d in %v; /readyz 503 %v after the cut, 200 %v after recovery",
		first.status, firstTook.Round(time.Millisecond), down.Round(time.Millisecond), up.Round(time.Millisecond))
	if down < 0 || down > time.Second {
		t.Errorf("/readyz answered 503 %v after the outage began, want within a second", down)
	}
	if up < 0 || up > time.Second {
		t.Errorf("/readyz answered 200 %v after recovery, want within a second", up)
	}

	if status != http.StatusServiceUnavailable || header.Get("Retry-After") == "" || !strings.Contains(page, "The database is unavailable") ||
		!strings.Contains(page, `value="Typed during the outage"`) || !strings.Contains(page, `value="kept for the user"`) {
		t.Errorf("a form sent during the outage: %d (Retry-After %q), want 503 keeping the input to send again; page:\n%s", status, header.Get("Retry-After"), page)
	}
	if pageStatus != http.StatusServiceUnavailable || !strings.Contains(pageBody, "The database is unavailable") || !strings.Contains(pageBody, `href="/parties"`) {
		t.Errorf("a page during the outage: %d, want 503 saying the database is unavailable with a link to try again; page:\n%s", pageStatus, pageBody)
	}
	if v := fs.metric(t, `parley_db_errors_total{cause="database-unreachable"}`); v <= 0 {
		t.Errorf(`parley_db_errors_total{cause="database-unreachable"} = %v during an outage`, v)
	}
	if logged := fs.log.lines("database unavailable"); len(logged) == 0 || len(logged) > 2 {
		t.Errorf("the outage was logged %d times in under a minute, want once per cause", len(logged))
	}
	if errs := fs.log.lines("request failed"); len(errs) > 0 {
		t.Errorf("%d requests were logged as internal errors, the first: %v", len(errs), errs[0])
	}

	// Every acknowledged write is there, and nothing is there twice.
	found, err := direct.GetMany(ctx, domain.KindParty, n.acked)
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != len(n.acked) {
		t.Errorf("%d of %d acknowledged writes are in the database", len(found), len(n.acked))
	}
	names := map[string]int{}
	q := domain.ListQuery{Kind: domain.KindParty, Text: "outage-", Limit: 500}
	for {
		pg, err := direct.List(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range pg.Items {
			names[r.(*domain.Party).Name]++
		}
		if pg.NextCursor == "" {
			break
		}
		q.Cursor = pg.NextCursor
	}
	for name, k := range names {
		if k > 1 {
			t.Errorf("%s was written %d times", name, k)
		}
	}
	if len(names) < len(n.acked) || len(names) > len(n.acked)+n.byStatus[http.StatusServiceUnavailable] {
		t.Errorf("%d parties stored for %d acknowledged creates and %d answered 503", len(names), len(n.acked), n.byStatus[http.StatusServiceUnavailable])
	}
}
