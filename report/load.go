package report

import (
	"context"
	"errors"
	"time"

	"github.com/parley/parley/domain"
)

// Load gathers what a status report shows from the store: the
// negotiation at opts.At and, with opts.Since, what moved from since up to
// that moment, as domain.Compare tells it; withTimeline adds the timeline, which
// costs a read of the whole history and only some formats draw. With an
// audience, what is marked above it is left out of both moments and of the
// timeline before anything is counted. The API, the UI and the command
// line all call it.
func Load(ctx context.Context, st domain.Store, id string, opts Options, now time.Time, withTimeline bool) (*Report, error) {
	if errs := CheckOptions(opts); len(errs) > 0 {
		return nil, errs.Err()
	}
	at, since := opts.At, opts.Since
	full, err := st.Snapshot(ctx, id, at)
	if err != nil {
		return nil, err
	}
	snap := domain.ForAudience(full, opts.Audience)
	var moved *domain.Comparison
	if !since.IsZero() {
		before, err := snapshotBefore(ctx, st, id, domain.Moment{AsOf: JustBefore(since), RecordedAsOf: at.RecordedAsOf}, full)
		if err != nil {
			return nil, err
		}
		moved = domain.Compare(domain.ForAudience(before, opts.Audience), snap)
	}
	r := Build(snap, moved, now)
	r.Audience, r.Handling, r.Layout = opts.Audience, domain.SnapshotHandling(snap, opts.Audience), opts.Layout
	if opts.Title != "" {
		r.Title = opts.Title
	}
	if withTimeline {
		revs, err := st.Timeline(ctx, id, at.RecordedAsOf)
		if err != nil {
			return nil, err
		}
		if opts.Audience != "" {
			revs = domain.RevisionsForAudience(revs, snap)
		}
		r.Timeline = domain.BuildTimeline(snap, revs)
	}
	return r, nil
}

// snapshotBefore reads the side of a comparison that opens its window; a
// moment before anything in the negotiation took effect is the negotiation
// with nothing in it, so that everything in the window counts as added.
func snapshotBefore(ctx context.Context, st domain.Store, id string, at domain.Moment, after *domain.Snapshot) (*domain.Snapshot, error) {
	before, err := st.Snapshot(ctx, id, at)
	var nf *domain.NotFoundError
	if errors.As(err, &nf) {
		return &domain.Snapshot{AsOf: at.AsOf, RecordedAsOf: at.RecordedAsOf, Negotiation: after.Negotiation, Parties: after.Parties}, nil
	}
	return before, err
}

// LoadComparison reads the two sides of a comparison from the store and
// compares them: two snapshots, whatever the negotiation's size. from is
// the first instant of the window (the comparison starts from the state
// just before it), to its last (zero: now); recordedAsOf reads both as
// the database stood then (zero: everything recorded).
func LoadComparison(ctx context.Context, st domain.Store, id string, from, to, recordedAsOf time.Time) (*domain.Comparison, error) {
	if !to.IsZero() && from.After(to) {
		return nil, domain.FieldErrors{{Field: "from", Message: "is after to"}}.Err()
	}
	after, err := st.Snapshot(ctx, id, domain.Moment{AsOf: to, RecordedAsOf: recordedAsOf})
	if err != nil {
		return nil, err
	}
	before, err := snapshotBefore(ctx, st, id, domain.Moment{AsOf: JustBefore(from), RecordedAsOf: recordedAsOf}, after)
	if err != nil {
		return nil, err
	}
	return domain.Compare(before, after), nil
}

// JustBefore is the last instant before t at the store's precision: the
// state "just before" a window that opens at t, so that a move taking
// effect at t falls inside the window.
func JustBefore(t time.Time) time.Time { return t.Add(-time.Microsecond) }
