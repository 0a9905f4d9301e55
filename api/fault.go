package api

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/parley/parley/domain"
)

// faultRelogEvery is how often a database fault that goes on is logged
// again: an outage under load fails every request, and one line a minute
// says as much as thousands.
const faultRelogEvery = time.Minute

// faultClassifier is what a store offers to recognise a database fault in
// the errors of reads it passes through unwrapped (store.Store has it).
type faultClassifier interface {
	Fault(err error) *domain.FaultError
}

// faults turns database faults into what the client, the log and the
// metrics should see.
type faults struct {
	store  domain.Store
	logger *slog.Logger
	count  *prometheus.CounterVec

	mu   sync.Mutex
	seen map[domain.FaultCause]*faultSeen
}

// faultSeen is one cause's log state: when it was last logged and how many
// failures have gone unlogged since.
type faultSeen struct {
	loggedAt   time.Time
	suppressed int
}

func newFaults(s domain.Store, logger *slog.Logger, count *prometheus.CounterVec) *faults {
	return &faults{store: s, logger: logger, count: count, seen: map[domain.FaultCause]*faultSeen{}}
}

// of returns the database fault behind err, nil when it is something else.
// Errors the API already answers (domain errors, problems) are never faults.
func (f *faults) of(err error) *domain.FaultError {
	var fe *domain.FaultError
	if errors.As(err, &fe) {
		return fe
	}
	if _, internal := toProblem(err); !internal {
		return nil
	}
	if c, ok := f.store.(faultClassifier); ok {
		return c.Fault(err)
	}
	return nil
}

// observe returns err as the fault it is, counted and logged, or err itself
// when it is no fault.
func (f *faults) observe(ctx context.Context, err error) error {
	fe := f.of(err)
	if fe == nil {
		return err
	}
	f.note(ctx, fe)
	return fe
}

// note counts a fault and logs it the first time, then at most once every
// faultRelogEvery with the number of failures in between.
func (f *faults) note(ctx context.Context, fe *domain.FaultError) {
	f.count.WithLabelValues(string(fe.Cause)).Inc()
	f.mu.Lock()
	seen := f.seen[fe.Cause]
	if seen == nil {
		seen = &faultSeen{}
		f.seen[fe.Cause] = seen
	}
	now := time.Now()
	if !seen.loggedAt.IsZero() && now.Sub(seen.loggedAt) < faultRelogEvery {
		seen.suppressed++
		f.mu.Unlock()
		return
	}
	suppressed := seen.suppressed
	seen.loggedAt, seen.suppressed = now, 0
	f.mu.Unlock()

	level, msg := slog.LevelWarn, "database unavailable: answering 503"
	attrs := []slog.Attr{
		slog.String("cause", string(fe.Cause)),
		slog.String("database", fe.Database),
		slog.Int("failures_since_last_logged", suppressed),
		slog.Any("error", fe.Err),
	}
	if fe.Cause == domain.FaultStorageFull {
		level, msg = slog.LevelError, "database storage full: writes answer 507 until space is freed; reads still work"
		attrs = append(attrs, slog.Int64("free_bytes", fe.FreeBytes))
	}
	f.logger.LogAttrs(ctx, level, msg, attrs...)
}
