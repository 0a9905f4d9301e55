package api

import (
	"crypto/subtle"
	"database/sql"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/parley/parley/domain"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metricsPath serves the Prometheus exposition. It sits outside /api/v1 so
// that scrapers need no API token; it should not be reachable from the
// public internet (Options.MetricsToken guards it when it must be).
const metricsPath = "/metrics"

// latencyBuckets (seconds) reach from a cached read to a large PDF report.
var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}

// metrics are one server's instruments, on a registry of its own so that
// every api.Register (tests build many servers) starts from zero and none collides.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	inFlight prometheus.Gauge
	dbErrors *prometheus.CounterVec
	token    string
}

func newMetrics(opts Options) *metrics {
	reg := prometheus.NewRegistry()
	m := &metrics{
		registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "parley_http_requests_total",
			Help: "HTTP requests answered, by method, route template and status code.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "parley_http_request_duration_seconds",
			Help:    "Time from receiving a request to finishing its answer, by method and route template.",
			Buckets: latencyBuckets,
		}, []string{"method", "route"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "parley_http_requests_in_flight",
			Help: "Requests being served right now.",
		}),
		dbErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "parley_db_errors_total",
			Help: "Requests whose database work failed for a fault of the database, by cause: database-unreachable and database-restarting (503), storage-full (507).",
		}, []string{"cause"}),
		token: opts.MetricsToken,
	}
	// Every cause is exported from the start, at 0, so that an alert on
	// its rate needs no series to appear first.
	for _, cause := range []domain.FaultCause{domain.FaultUnreachable, domain.FaultRestarting, domain.FaultStorageFull} {
		m.dbErrors.WithLabelValues(string(cause))
	}
	reg.MustRegister(m.requests, m.latency, m.inFlight, m.dbErrors,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	if opts.DBStats != nil {
		reg.MustRegister(newDBStatsCollector(opts.DBStats))
	}
	return m
}

// instrument counts and times every request. It runs outside accessLog,
// which has already handed any error to the error handler, so the status it
// records is the one the client received.
func (m *metrics) instrument(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		m.inFlight.Inc()
		defer m.inFlight.Dec()
		start := time.Now()
		err := next(c)
		if err != nil {
			// Only reached when a middleware outside accessLog failed; let
			// the error handler set the status before it is recorded.
			c.Error(err)
			err = nil
		}
		method := methodLabel(c.Request().Method)
		route := routeLabel(c.Path())
		m.requests.WithLabelValues(method, route, strconv.Itoa(c.Response().Status)).Inc()
		m.latency.WithLabelValues(method, route).Observe(time.Since(start).Seconds())
		return err
	}
}

// routeLabel is the route template echo matched ("/api/v1/parties/:id"),
// never the raw path, so that the number of series stays bounded whatever
// URLs clients invent. A request that matched no route shares one label.
func routeLabel(template string) string {
	if template == "" {
		return "unmatched"
	}
	return template
}

// methodLabel keeps made-up methods ("FOO") from adding series.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER"
}

// handler serves the exposition, behind the bearer token when one is set.
func (m *metrics) handler() echo.HandlerFunc {
	expose := promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
	return func(c echo.Context) error {
		if m.token != "" && !bearerMatches(c.Request().Header.Get(echo.HeaderAuthorization), m.token) {
			p := newProblem(http.StatusUnauthorized, "the metrics need the bearer token configured for them")
			p.header = http.Header{"Www-Authenticate": {`Bearer realm="parley-metrics"`}}
			// Written here rather than returned: /metrics is neither an API
			// nor a page path, and the answer must be the same with or
			// without the UI's error handler in front.
			writeProblem(c, p)
			return nil
		}
		expose.ServeHTTP(c.Response(), c.Request())
		return nil
	}
}

// bearerMatches compares in constant time so that the token cannot be
// guessed byte by byte from response times.
func bearerMatches(header, token string) bool {
	const prefix = "bearer "
	if len(header) < len(prefix) || !strings.EqualFold(header[:len(prefix)], prefix) {
		return false
	}
	got := strings.TrimSpace(header[len(prefix):])
	return subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1
}

// dbStatsCollector exposes database/sql pool statistics, one series per
// named pool ("writer" and "reader" on SQLite). It takes a function rather
// than the store so that api stays free of store.
type dbStatsCollector struct {
	stats func() map[string]sql.DBStats

	maxOpen, open, inUse, idle                          *prometheus.Desc
	waitCount, waitDuration                             *prometheus.Desc
	maxIdleClosed, maxIdleTimeClosed, maxLifetimeClosed *prometheus.Desc
}

func newDBStatsCollector(stats func() map[string]sql.DBStats) *dbStatsCollector {
	desc := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc("parley_db_"+name, help, []string{"pool"}, nil)
	}
	return &dbStatsCollector{
		stats:             stats,
		maxOpen:           desc("max_open_connections", "Largest number of open connections the pool allows (0: unlimited)."),
		open:              desc("open_connections", "Connections open, in use or idle."),
		inUse:             desc("in_use_connections", "Connections in use."),
		idle:              desc("idle_connections", "Idle connections."),
		waitCount:         desc("wait_count_total", "Times a query waited for a free connection."),
		waitDuration:      desc("wait_duration_seconds_total", "Time spent waiting for a free connection."),
		maxIdleClosed:     desc("max_idle_closed_total", "Connections closed because the idle pool was full."),
		maxIdleTimeClosed: desc("max_idle_time_closed_total", "Connections closed for being idle too long."),
		maxLifetimeClosed: desc("max_lifetime_closed_total", "Connections closed for reaching their maximum lifetime."),
	}
}

func (d *dbStatsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, desc := range []*prometheus.Desc{d.maxOpen, d.open, d.inUse, d.idle, d.waitCount, d.waitDuration,
		d.maxIdleClosed, d.maxIdleTimeClosed, d.maxLifetimeClosed} {
		ch <- desc
	}
}

func (d *dbStatsCollector) Collect(ch chan<- prometheus.Metric) {
	all := d.stats()
	pools := make([]string, 0, len(all))
	for name := range all {
		pools = append(pools, name)
	}
	sort.Strings(pools)
	for _, pool := range pools {
		s := all[pool]
		gauge := func(desc *prometheus.Desc, v float64) {
			ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, v, pool)
		}
		counter := func(desc *prometheus.Desc, v float64) {
			ch <- prometheus.MustNewConstMetric(desc, prometheus.CounterValue, v, pool)
		}
		gauge(d.maxOpen, float64(s.MaxOpenConnections))
		gauge(d.open, float64(s.OpenConnections))
		gauge(d.inUse, float64(s.InUse))
		gauge(d.idle, float64(s.Idle))
		counter(d.waitCount, float64(s.WaitCount))
		counter(d.waitDuration, s.WaitDuration.Seconds())
		counter(d.maxIdleClosed, float64(s.MaxIdleClosed))
		counter(d.maxIdleTimeClosed, float64(s.MaxIdleTimeClosed))
		counter(d.maxLifetimeClosed, float64(s.MaxLifetimeClosed))
	}
}
