package ui

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/domain"
)

// An edit refused because someone saved a newer version first. The form
// comes back holding their version with this user's own changes merged in
// where only they changed a field; the fields both changed are shown side
// by side, theirs in the form and this user's beside it, each with "Keep
// mine", so that nothing is lost and nothing of theirs is overwritten
// unseen. No script is needed: "Keep mine" is a submit button of the form,
// and what this user typed in the colliding fields travels with the form
// in a hidden input.

// staleData is the box above a form refused as stale.
type staleData struct {
	Version int
	Actor   string
	// You: the newer version was saved by this same user (another tab).
	You bool
	// Merged are the labels of this user's changes carried into the form.
	Merged []string
	// Conflicts are the fields both changed, to choose between.
	Conflicts []conflictRow
	// Kept are the labels of the fields where this user kept their own.
	Kept []string
	// Yours is this user's value of each conflicting field, as JSON, for
	// the hidden input that "Keep mine" reads.
	Yours string
}

// conflictRow is one field both sides changed.
type conflictRow struct {
	Field  string
	Label  string
	Theirs string
	Mine   string
}

// renderStale answers an edit made against version: the stored version
// with this user's changes merged where they collide with nothing, and the
// collisions side by side. mine is what the form built. The date, note
// and source of the move stay as typed: they overwrite nothing of theirs.
func (srv *server) renderStale(c echo.Context, k domain.Kind, id string, version int, typed formState, mine domain.Resource, fc formContext) error {
	ctx := c.Request().Context()
	current, err := srv.store.Get(ctx, k, id)
	if err != nil {
		return err
	}
	revs, err := srv.store.History(ctx, k, id)
	if err != nil {
		return err
	}
	base := stateAtVersion(k, revs, version)
	if base == nil {
		// Without the version the form was filled from, every change of
		// this user's that differs from theirs is a collision.
		base = current
	}
	mineChanged, err := changedFields(k, base, mine)
	if err != nil {
		return err
	}
	theirsChanged, err := changedFields(k, base, current)
	if err != nil {
		return err
	}
	differ, err := changedFields(k, current, mine)
	if err != nil {
		return err
	}
	st := stateOf(current)
	keepDating(&st, typed)
	yours := formState{Values: map[string]string{}}
	stale := &staleData{Version: current.Base().Version}
	for _, f := range formSpecs[k] {
		switch {
		case !slices.Contains(mineChanged, f.Name) || !slices.Contains(differ, f.Name):
			// Unchanged by this user, or changed alike by both.
		case slices.Contains(theirsChanged, f.Name):
			copyField(&yours, typed, f)
		default:
			copyField(&st, typed, f)
			stale.Merged = append(stale.Merged, f.Label)
		}
	}
	if err := srv.describeStale(ctx, c, k, id, revs, stale, st, yours, fc); err != nil {
		return err
	}
	return srv.renderForm(c, http.StatusPreconditionFailed, k, id, current.Base().Version, st, fc, nil, stale)
}

// keepMine answers "Keep mine" on a field of a stale form: the form as
// posted, with this user's value put back in that field, and the other
// collisions still to choose. Nothing is saved until the form is.
func (srv *server) keepMine(c echo.Context, k domain.Kind, id string, version int, field string, st formState, fc formContext) error {
	ctx := c.Request().Context()
	yours := formState{Values: map[string]string{}}
	if raw := c.Request().PostForm.Get("yours"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &yours); err != nil {
			return echo.NewHTTPError(http.StatusBadRequest, "The form's copy of your changes cannot be read. Reload the page and edit again.")
		}
	}
	if yours.Values == nil {
		yours.Values = map[string]string{}
	}
	f, ok := specOf(k, field)
	if !ok {
		return echo.NewHTTPError(http.StatusBadRequest, "The form names no such field. Reload the page and edit again.")
	}
	copyField(&st, yours, f)
	dropField(&yours, f)
	revs, err := srv.store.History(ctx, k, id)
	if err != nil {
		return err
	}
	stale := &staleData{Version: version, Kept: append(c.Request().PostForm["kept"], f.Label)}
	if err := srv.describeStale(ctx, c, k, id, revs, stale, st, yours, fc); err != nil {
		return err
	}
	return srv.renderForm(c, http.StatusOK, k, id, version, st, fc, nil, stale)
}

// describeStale fills in who saved the newer version and the collisions
// left: this user's values in yours beside the stored ones.
func (srv *server) describeStale(ctx context.Context, c echo.Context, k domain.Kind, id string, revs []domain.Revision, stale *staleData, st, yours formState, fc formContext) error {
	if len(revs) > 0 {
		stale.Actor = revs[len(revs)-1].Actor
		stale.You = stale.Actor == actor(c)
	}
	current, err := srv.store.Get(ctx, k, id)
	if err != nil {
		return err
	}
	stored := stateOf(current)
	for _, f := range formSpecs[k] {
		if !hasField(yours, f) {
			continue
		}
		stale.Conflicts = append(stale.Conflicts, conflictRow{Field: f.Name, Label: f.Label,
			Theirs: fieldText(f, stored, fc), Mine: fieldText(f, yours, fc)})
	}
	b, err := json.Marshal(yours)
	if err != nil {
		return err
	}
	stale.Yours = string(b)
	return nil
}

// stateAtVersion is the resource as it stood when it had version: the
// latest in the timeline of the revisions up to it (a move dated earlier
// than the one before it did not change the current state). nil when the
// history does not hold it.
func stateAtVersion(k domain.Kind, revs []domain.Revision, version int) domain.Resource {
	best := -1
	for i, r := range revs {
		if r.Revision <= version && r.Action != "delete" && (best < 0 || timelineBefore(revs[best], r)) {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	r := domain.New(k)
	if json.Unmarshal(revs[best].Resource, r) != nil {
		return nil
	}
	return r
}

// keepDating carries the date, note and source of the move as typed.
func keepDating(st *formState, typed formState) {
	for _, name := range []string{domain.FieldEffectiveOn, fieldEffectiveRound, domain.FieldChangeNote} {
		st.Values[name] = typed.Values[name]
	}
	st.ChangeCitations = typed.ChangeCitations
}

// copyField sets one field of dst to its value in src.
func copyField(dst *formState, src formState, f fieldSpec) {
	switch f.Type {
	case inParticipants:
		// Never nil, so that an emptied list still counts as given.
		dst.Participants = append([]domain.Participant{}, src.Participants...)
	case inCitations:
		dst.Citations = append([]map[string]string{}, src.Citations...)
	default:
		dst.Values[f.Name] = src.Values[f.Name]
	}
}

// dropField removes one field from a partial form state.
func dropField(st *formState, f fieldSpec) {
	delete(st.Values, f.Name)
	switch f.Type {
	case inParticipants:
		st.Participants = nil
	case inCitations:
		st.Citations = nil
	}
}

// hasField reports whether a partial form state holds the field; an
// emptied list or text counts, since emptying it was the change.
func hasField(st formState, f fieldSpec) bool {
	switch f.Type {
	case inParticipants:
		return st.Participants != nil
	case inCitations:
		return st.Citations != nil
	}
	_, ok := st.Values[f.Name]
	return ok
}
