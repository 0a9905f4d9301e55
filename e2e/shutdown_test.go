package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/store"
	"github.com/parley/parley/store/storetest"
)

// TestGracefulShutdown builds the binary, starts it, and sends SIGTERM while
// a request is in flight (its body half sent): the request still completes,
// its write is kept, and the process exits 0.
func TestGracefulShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := parleyBinary(t)
	db := storetest.DSN(t)
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", db)
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan int, 1)
	go func() {
		_ = cmd.Wait()
		exited <- cmd.ProcessState.ExitCode()
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	addr := listeningAddr(t, stderr, exited)
	m := adminLine.FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("stdout %q lacks the admin line", stdout.String())
	}
	token := login(t, "http://"+addr, "admin", m[1])

	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"name":"Shutdown Test Party","notes":"sent across a SIGTERM"}`
	half := len(body) / 2
	fmt.Fprintf(conn, "POST /api/v1/parties HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", addr, token, len(body), body[:half])
	time.Sleep(300 * time.Millisecond) // the server has the headers and is reading the body

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Shutdown has begun once the log says so; new connections are refused.
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stderr.String(), "shutting down") {
		if time.Now().After(deadline) {
			t.Fatalf("no shutdown after SIGTERM; logs:\n%s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Error("a new connection was accepted after SIGTERM")
	}
	select {
	case code := <-exited:
		t.Fatalf("the process exited (%d) with a request in flight", code)
	default:
	}

	if _, err := io.WriteString(conn, body[half:]); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the request in flight got no response: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Errorf("the request in flight got %s", resp.Status)
	}
	select {
	case code := <-exited:
		if code != 0 {
			t.Errorf("exit code %d after SIGTERM; logs:\n%s", code, stderr.String())
		}
	case <-time.After(35 * time.Second):
		t.Fatal("the process did not exit after its last request")
	}

	// The write acknowledged during shutdown is in the database.
	s, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	page, err := s.List(context.Background(), domain.ListQuery{Kind: domain.KindParty, Text: "shutdown test party"})
	if err != nil || len(page.Items) != 1 {
		t.Errorf("the party created across SIGTERM: %d found (%v)", len(page.Items), err)
	}
}
