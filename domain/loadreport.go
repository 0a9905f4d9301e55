package domain

import (
	"context"
	"time"
)

// maxChangesPage is the page size LoadReport reads changes in.
const maxChangesPage = 500

// LoadReport gathers what a status report shows from the store: the
// negotiation at a moment and, with since, what took effect from since up
// to that moment. The API, the UI and the command line all call it.
func LoadReport(ctx context.Context, st Store, id string, at Moment, since, now time.Time) (*Report, error) {
	snap, err := st.Snapshot(ctx, id, at)
	if err != nil {
		return nil, err
	}
	var changes []Change
	if !since.IsZero() {
		q := ChangesQuery{NegotiationID: id, Since: since, Until: at.AsOf, Limit: maxChangesPage}
		for {
			page, err := st.Changes(ctx, q)
			if err != nil {
				return nil, err
			}
			changes = append(changes, page.Items...)
			if page.NextCursor == "" {
				break
			}
			q.Cursor = page.NextCursor
		}
	}
	revs, err := st.Timeline(ctx, id, at.RecordedAsOf)
	if err != nil {
		return nil, err
	}
	r := BuildReport(snap, changes, since, now)
	r.Timeline = BuildTimeline(snap, revs)
	return r, nil
}
