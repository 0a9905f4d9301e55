package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"
)

func cmdHealthcheck(ctx context.Context, args []string, env *environment) error {
	f := newFlags("healthcheck", "healthcheck [--url URL]",
		"Exits 0 when the server answers GET /healthz with 200, 1 otherwise. The container's\n"+
			"HEALTHCHECK runs it, since the slim image has no curl.")
	target := f.String("url", "", "health endpoint (default http://127.0.0.1:PORT/healthz, PORT from PARLEY_ADDR or 8080)")
	timeout := f.Duration("timeout", 5*time.Second, "give up after this long")
	if err := f.parseNoArgs(args, env); err != nil {
		return err
	}
	u := *target
	if u == "" {
		u = healthURL(os.Getenv("PARLEY_ADDR"))
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return usagef("healthcheck: bad --url: %v", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s", u, resp.Status)
	}
	fmt.Fprintln(env.stdout, "ok")
	return nil
}

// healthURL is where the server listening on addr answers /healthz, seen
// from the same machine.
func healthURL(addr string) string {
	port := "8080"
	if _, p, err := net.SplitHostPort(addr); err == nil && p != "" {
		port = p
	}
	return "http://127.0.0.1:" + port + "/healthz"
}
