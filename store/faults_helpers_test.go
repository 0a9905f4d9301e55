package store_test

// Helpers of the fault tests: the real router (API and pages) over a store,
// a load of readers and writers that records every answer, and a sign-in
// to the pages.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley/parley/api"
	"github.com/parley/parley/server"
	"github.com/parley/parley/store"
	"github.com/parley/parley/store/storetest"
	"github.com/parley/parley/ui"
)

// lockedBuffer collects the server's log lines from many goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines are the JSON log lines whose msg starts with prefix.
func (b *lockedBuffer) lines(prefix string) []map[string]any {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, l := range strings.Split(b.buf.String(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil {
			if msg, _ := m["msg"].(string); strings.HasPrefix(msg, prefix) {
				out = append(out, m)
			}
		}
	}
	return out
}

// faultServer is parley's router as `parley serve` builds it, over s.
type faultServer struct {
	t      *testing.T
	url    string
	token  string // an editor's API token
	user   string
	log    *lockedBuffer
	client *http.Client
}

func newFaultServer(t *testing.T, s *store.Store, user, token string) *faultServer {
	t.Helper()
	log := &lockedBuffer{}
	e := server.New(s, api.Options{Logger: slog.New(slog.NewJSONHandler(log, nil)), RateLimit: -1, DBStats: s.DBStats}, ui.Options{})
	hs := httptest.NewServer(e)
	t.Cleanup(hs.Close)
	return &faultServer{t: t, url: hs.URL, token: token, user: user, log: log,
		client: &http.Client{Timeout: 15 * time.Second}}
}

// answer is one response, as the load records it.
type answer struct {
	at, done   time.Time // sent, answered
	write      bool
	status     int
	problem    string // the problem type, for an error
	retryAfter string
	id         string // the id of a created resource
	err        error  // the request failed without an answer
}

// do sends one API request with the editor's token.
func (fs *faultServer) do(method, path string, body any) answer {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, fs.url+path, rd)
	req.Header.Set("Authorization", "Bearer "+fs.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return fs.send(req, method != http.MethodGet)
}

func (fs *faultServer) send(req *http.Request, write bool) (a answer) {
	a = answer{at: time.Now(), write: write}
	defer func() { a.done = time.Now() }()
	resp, err := fs.client.Do(req)
	if err != nil {
		a.err = err
		return a
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a.status, a.retryAfter = resp.StatusCode, resp.Header.Get("Retry-After")
	var m map[string]any
	if json.Unmarshal(raw, &m) == nil {
		if resp.StatusCode >= 400 {
			a.problem, _ = m["type"].(string)
		} else {
			a.id, _ = m["id"].(string)
		}
	}
	return a
}

// loadPeriod is how often each client of load sends a request (when the
// last one has been answered by then), so that the load stays steady
// whether the answers are slow successes or quick failures.
const loadPeriod = 10 * time.Millisecond

// load runs readers and writers against fs until stop closes (or each has
// made maxRequests), each sending one request every loadPeriod. Writers create
// parties named prefix-w<n>-<i>; readers take turns at reads, each of
// which checks the token first.
func (fs *faultServer) load(prefix string, reads []string, readers, writers, maxRequests int, stop <-chan struct{}) []answer {
	var (
		mu  sync.Mutex
		all []answer
		wg  sync.WaitGroup
	)
	record := func(a answer) {
		mu.Lock()
		all = append(all, a)
		mu.Unlock()
	}
	stopped := func() bool {
		select {
		case <-stop:
			return true
		default:
			return false
		}
	}
	for w := range writers {
		wg.Go(func() {
			for i := 0; i < maxRequests && !stopped(); i++ {
				a := fs.do(http.MethodPost, "/api/v1/parties", map[string]any{"name": fmt.Sprintf("%s-w%d-%d", prefix, w, i)})
				record(a)
				time.Sleep(loadPeriod - a.done.Sub(a.at))
			}
		})
	}
	for range readers {
		wg.Go(func() {
			for i := 0; i < maxRequests && !stopped(); i++ {
				a := fs.do(http.MethodGet, reads[i%len(reads)], nil)
				record(a)
				time.Sleep(loadPeriod - a.done.Sub(a.at))
			}
		})
	}
	wg.Wait()
	return all
}

// tally counts the answers by status, and reads and writes apart.
type tally struct {
	requests, reads, writes int
	byStatus                map[int]int
	acked                   []string
}

func count(answers []answer) tally {
	t := tally{byStatus: map[int]int{}}
	for _, a := range answers {
		t.requests++
		if a.write {
			t.writes++
		} else {
			t.reads++
		}
		t.byStatus[a.status]++
		if a.write && a.status == http.StatusCreated {
			t.acked = append(t.acked, a.id)
		}
	}
	return t
}

// checkAnswers fails the test for an answer that is neither a success nor
// a fault answered as one: the status wanted, a Retry-After, a type that
// names one of causes.
func checkAnswers(t *testing.T, answers []answer, faultStatus int, causes ...string) {
	t.Helper()
	bad := 0
	for _, a := range answers {
		ok := a.err == nil && (a.status == http.StatusOK || a.status == http.StatusCreated)
		if a.err == nil && a.status == faultStatus && a.retryAfter != "" {
			for _, c := range causes {
				ok = ok || strings.HasSuffix(a.problem, "/"+c)
			}
		}
		if !ok {
			if bad++; bad <= 5 {
				t.Errorf("answer at %s (write %v): status %d, type %q, Retry-After %q, error %v",
					a.at.Format("15:04:05.000"), a.write, a.status, a.problem, a.retryAfter, a.err)
			}
		}
	}
	if bad > 5 {
		t.Errorf("… and %d more answers like these", bad-5)
	}
}

// pageSession is a signed-in browser: its cookies and the CSRF token of
// its forms.
type pageSession struct {
	client *http.Client
	csrf   string
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

// signIn signs the editor in through the sign-in form.
func (fs *faultServer) signIn(t *testing.T) *pageSession {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 15 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	page := func(resp *http.Response, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	m := csrfInput.FindStringSubmatch(page(c.Get(fs.url + "/login")))
	if m == nil {
		t.Fatal("the sign-in page has no CSRF token")
	}
	resp, err := c.PostForm(fs.url+"/login", url.Values{"csrf": {m[1]}, "username": {fs.user}, "password": {storetest.Password}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %v %v", err, resp)
	}
	resp.Body.Close()
	if m = csrfInput.FindStringSubmatch(page(c.Get(fs.url + "/parties/new"))); m == nil {
		t.Fatal("the new party form has no CSRF token")
	}
	return &pageSession{client: c, csrf: m[1]}
}

// postForm sends a form as the signed-in browser and returns the page.
func (ps *pageSession) postForm(t *testing.T, u string, form url.Values) (int, http.Header, string) {
	t.Helper()
	form.Set("csrf", ps.csrf)
	resp, err := ps.client.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// get fetches a page as the signed-in browser.
func (ps *pageSession) get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := ps.client.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// metric reads one sample of /metrics, -1 when it is absent.
func (fs *faultServer) metric(t *testing.T, series string) float64 {
	t.Helper()
	resp, err := fs.client.Get(fs.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, series+" "); ok {
			var v float64
			fmt.Sscan(rest, &v)
			return v
		}
	}
	return -1
}
