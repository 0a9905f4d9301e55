package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/parley/parley/api"
	"github.com/parley/parley/auth"
	"github.com/parley/parley/domain"
	"github.com/parley/parley/domain/demo"
	"github.com/parley/parley/server"
	"github.com/parley/parley/store"
	"github.com/parley/parley/ui"
)

// Limits of the HTTP server. Slow clients cannot hold a connection open
// forever; a report (PDF of a large negotiation) still has time to render.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 60 * time.Second
	writeTimeout      = 120 * time.Second
	idleTimeout       = 120 * time.Second
	maxHeaderBytes    = 64 << 10
	// shutdownGrace is how long requests in flight get to finish after
	// SIGINT or SIGTERM.
	shutdownGrace = 30 * time.Second
)

func cmdServe(ctx context.Context, args []string, env *environment) error {
	f := newFlags("serve", "serve [--addr 127.0.0.1:8080] [--db PATH_OR_URL] [--demo] [--synchronous NORMAL|FULL] [--trust-proxy] [--secure-cookies] [--pdf-font FONT_FILE]",
		"Migrates the database, then serves the web UI at / and the API at /api/v1 until SIGINT or\n"+
			"SIGTERM, when it stops accepting connections and lets requests in flight finish (30 s at most).\n"+
			"On a database without users it creates the user admin and prints its password once.")
	addr := f.String("addr", "", "address to listen on (env PARLEY_ADDR, default "+defaultAddr+")")
	db := dbFlag(f)
	loadDemo := f.Bool("demo", false, "load the demo negotiation (the May 2025 Istanbul talks) if it is not there yet")
	synchronous := f.String("synchronous", "", "SQLite PRAGMA synchronous: NORMAL (a power loss may lose the last commits) or FULL (it loses none) (env PARLEY_SYNCHRONOUS, default NORMAL)")
	trustProxy := f.Bool("trust-proxy", envBool("PARLEY_TRUST_PROXY"), "take the client address from X-Forwarded-For, for sign-in throttling behind a load balancer (env PARLEY_TRUST_PROXY=true)")
	secureCookies := f.Bool("secure-cookies", envBool("PARLEY_SECURE_COOKIES"), "the site is reached over HTTPS only (a TLS proxy in front): cookies always carry Secure and every response HSTS (env PARLEY_SECURE_COOKIES=true)")
	pdfFont := pdfFontFlag(f)
	if err := f.parseNoArgs(args, env); err != nil {
		return err
	}
	if err := usePDFFont(*pdfFont); err != nil {
		return usagef("serve: --pdf-font: %v", err)
	}
	if *synchronous == "" {
		*synchronous = os.Getenv("PARLEY_SYNCHRONOUS")
	}
	sync := strings.ToUpper(strings.TrimSpace(*synchronous))
	if sync == "" {
		sync = "NORMAL"
	}
	if sync != "NORMAL" && sync != "FULL" {
		return usagef("serve: --synchronous must be NORMAL or FULL, not %q", *synchronous)
	}
	listenAddr := *addr
	if listenAddr == "" {
		listenAddr = os.Getenv("PARLEY_ADDR")
	}
	if listenAddr == "" {
		listenAddr = defaultAddr
	}

	logger := slog.New(slog.NewJSONHandler(env.stderr, nil))
	s, applied, err := openStore(ctx, *db, store.Options{Synchronous: sync})
	if err != nil {
		return err
	}
	defer s.Close()
	if len(applied) > 0 {
		logger.Info("migrations applied", "versions", applied)
	}

	password, err := ensureAdmin(ctx, s)
	if err != nil {
		return err
	}
	if *loadDemo {
		id, created, err := demo.Load(ctx, s, "demo")
		if err != nil {
			return err
		}
		logger.Info("demo negotiation", "id", id, "created", created)
		// The multilateral demo comes second, so that Istanbul stays first.
		id, created, err = demo.LoadCOP29(ctx, s, "demo")
		if err != nil {
			return err
		}
		logger.Info("demo negotiation", "id", id, "created", created)
	}

	ln, err := net.Listen("tcp", listenAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", listenAddr, err)
	}
	url := "http://" + browsable(ln.Addr().String()) + "/"
	if password != "" {
		fmt.Fprintf(env.stdout, "Created user admin with password %s — sign in at %s\n", password, url)
	}

	// /metrics is open unless PARLEY_METRICS_TOKEN names the bearer token a
	// scraper must present; it is an environment variable only, so that the
	// secret never shows in a process list.
	e := server.New(s,
		api.Options{Logger: logger, TrustProxy: *trustProxy, DBStats: s.DBStats, MetricsToken: os.Getenv("PARLEY_METRICS_TOKEN"), HTTPSOnly: *secureCookies},
		ui.Options{SecureCookies: *secureCookies})
	srv := &http.Server{
		Handler:           e,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	listening := []any{"addr", ln.Addr().String(), "url", url, "database", s.Dialect()}
	if s.Dialect() == "sqlite" {
		listening = append(listening, "synchronous", sync)
	}
	logger.Info("listening", listening...)
	go readAhead(ctx, s, logger)

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down; finishing requests in flight", "grace", shutdownGrace.String())
	// The signal context is done; the grace period needs a context of its own.
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	logger.Info("stopped")
	return nil
}

// readAhead keeps the negotiations changed most recently in the store's
// cache, so that the first views after a start do not each read a whole
// conference; a request that comes first reads for itself.
func readAhead(ctx context.Context, s *store.Store, logger *slog.Logger) {
	start := time.Now()
	ids, err := s.WarmSnapshots(ctx)
	if err != nil {
		if ctx.Err() == nil {
			logger.Warn("reading negotiations ahead failed; views read them as asked", "error", err.Error())
		}
		return
	}
	logger.Info("negotiations read ahead", "count", len(ids), "took", time.Since(start).Round(time.Millisecond).String())
}

// envBool reads a boolean environment variable ("true", "1", …); anything
// else, unset included, is false.
func envBool(name string) bool {
	v, err := strconv.ParseBool(os.Getenv(name))
	return err == nil && v
}

// ensureAdmin creates the user admin with a random password when the
// database has no user at all, and returns that password ("" when users
// exist), so that a newcomer can sign in.
func ensureAdmin(ctx context.Context, s *store.Store) (string, error) {
	n, err := s.CountUsers(ctx)
	if err != nil {
		return "", fmt.Errorf("count users: %w", err)
	}
	if n > 0 {
		return "", nil
	}
	password, err := auth.RandomPassword()
	if err != nil {
		return "", err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return "", err
	}
	if _, err := s.CreateUser(ctx, "admin", hash, domain.RoleAdmin); err != nil {
		// Another instance on the same database made it first: its
		// password was printed there.
		var conflict *domain.ConflictError
		if errors.As(err, &conflict) {
			return "", nil
		}
		return "", fmt.Errorf("create the first admin: %w", err)
	}
	return password, nil
}

// browsable turns a listening address into one a browser can open: an
// unspecified host (0.0.0.0, ::) becomes localhost.
func browsable(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
