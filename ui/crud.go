package ui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/domain"
)

// formData is what the form template receives.
type formData struct {
	Kind        domain.Kind
	Noun        string
	Action      string
	Cancel      string
	Submit      string
	Version     int
	Negotiation string
	Fields      []fieldView
	Dating      *datingView
	Summary     []errorLink
	Stale       *staleData
}

// newForm shows an empty form, pre-filled from the query (?negotiation_id=,
// ?demand_id=, … as linked from the page the user came from). A required
// date is pre-filled with today only while the talks are on: once their
// latest round has ended, today is almost never the date meant, and a
// forgotten field must be noticed rather than saved as today.
func (srv *server) newForm(c echo.Context, k domain.Kind) error {
	st := formState{Values: map[string]string{}}
	for _, f := range formSpecs[k] {
		if v := c.QueryParam(f.Name); v != "" {
			st.Values[f.Name] = v
		}
	}
	fc, err := srv.formContextFor(c, k, "", st)
	if err != nil {
		return err
	}
	now := srv.opts.Now()
	// Without rounds nothing says whether the talks are on.
	if last, over := talksOver(fc, now); !last.IsZero() && !over {
		for _, f := range formSpecs[k] {
			if f.Type == inDate && f.Required && st.Values[f.Name] == "" {
				st.Values[f.Name] = domain.FormatDay(now.UTC().Format(domain.DateLayout))
			}
		}
	}
	return srv.renderForm(c, http.StatusOK, k, "", 0, st, fc, nil, nil)
}

func (srv *server) create(c echo.Context, k domain.Kind) error {
	ctx := c.Request().Context()
	st := parseForm(k, c.Request().PostForm)
	fc, err := srv.formContextFor(c, k, "", st)
	if err != nil {
		return err
	}
	if k == domain.KindParty {
		st.resolveBlocMembers(fc.AllParties)
	}
	r, errs := st.build(k)
	when, datingErrs := datingOf(k, st, fc, false, false, srv.opts.Now())
	errs = append(errs, datingErrs...)
	if len(errs) > 0 {
		return srv.renderForm(c, http.StatusUnprocessableEntity, k, "", 0, st, fc, errs, nil)
	}
	if err := srv.store.Create(ctx, actor(c), r, when); err != nil {
		if status, errs, ok := formErrors(err); ok {
			fc.noteConflict(err)
			return srv.renderForm(c, status, k, "", 0, st, fc, errs, nil)
		}
		return err
	}
	home, err := srv.homeOf(ctx, r)
	if err != nil {
		return err
	}
	return srv.redirectWithFlash(c, home, fmt.Sprintf("Saved the new %s “%s”.", k.Singular(), srv.labelOf(ctx, r))+noSourceYet(r))
}

// load reads the resource named in the path; a malformed id is simply not
// found.
func (srv *server) load(c echo.Context, k domain.Kind) (domain.Resource, error) {
	id := c.Param("id")
	if !looksLikeID(id) {
		return nil, &domain.NotFoundError{Kind: k, ID: id}
	}
	return srv.store.Get(c.Request().Context(), k, id)
}

func (srv *server) editForm(c echo.Context, k domain.Kind) error {
	r, err := srv.load(c, k)
	if err != nil {
		return err
	}
	st := stateOf(r)
	fc, err := srv.formContextFor(c, k, r.Base().ID, st)
	if err != nil {
		return err
	}
	st.nameBlocMembers(fc.AllParties)
	return srv.renderForm(c, http.StatusOK, k, r.Base().ID, r.Base().Version, st, fc, nil, nil)
}

func (srv *server) update(c echo.Context, k domain.Kind) error {
	ctx := c.Request().Context()
	// The resource must exist before anything is re-rendered as its form.
	existing, err := srv.load(c, k)
	if err != nil {
		return err
	}
	id := existing.Base().ID
	version, err := strconv.Atoi(c.Request().PostForm.Get("version"))
	if err != nil || version < 1 {
		return echo.NewHTTPError(http.StatusBadRequest, "The form lacks the version it edits. Reload the page and try again.")
	}
	st := parseForm(k, c.Request().PostForm)
	fc, err := srv.formContextFor(c, k, id, st)
	if err != nil {
		return err
	}
	if field := c.Request().PostForm.Get("keep_mine"); field != "" {
		return srv.keepMine(c, k, id, version, field, st, fc)
	}
	if k == domain.KindParty {
		st.resolveBlocMembers(fc.AllParties)
	}
	next, errs := st.build(k)
	if d, ok := next.(*domain.Demand); ok {
		normalizeFormTerms(d, demandTopic(st, fc))
	}
	// What the form changes is read against the version it was filled
	// from; against any other, the store refuses the edit as stale.
	var changed []string
	if next != nil {
		if changed, err = changedFields(k, existing, next); err != nil {
			return err
		}
	}
	// A form the server refuses changes something (what is stored is
	// valid), so a missing date is reported with its other problems.
	changes := next == nil || len(changed) > 0
	when, datingErrs := datingOf(k, st, fc, true, changes, srv.opts.Now())
	errs = append(errs, datingErrs...)
	if len(errs) > 0 {
		return srv.renderForm(c, http.StatusUnprocessableEntity, k, id, version, st, fc, errs, nil)
	}
	saved, err := srv.store.Update(ctx, actor(c), k, id, version, when, func(base domain.Resource) (domain.Resource, error) {
		return applyFields(base, next, changed)
	})
	var stale *domain.PreconditionError
	switch {
	case errors.As(err, &stale):
		return srv.renderStale(c, k, id, version, st, next, fc)
	case err != nil:
		if status, errs, ok := formErrors(err); ok {
			fc.noteConflict(err)
			return srv.renderForm(c, status, k, id, version, st, fc, errs, nil)
		}
		return err
	}
	home, err := srv.homeOf(ctx, saved)
	if err != nil {
		return err
	}
	return srv.redirectWithFlash(c, home, fmt.Sprintf("Saved your changes to the %s “%s”.", k.Singular(), srv.labelOf(ctx, saved))+noSourceYet(saved))
}

// formErrors turns a store refusal into errors beside fields.
func formErrors(err error) (int, domain.FieldErrors, bool) {
	var (
		ve *domain.ValidationError
		ce *domain.ConflictError
		fe *domain.FaultError
	)
	switch {
	case errors.As(err, &fe) && fe.Unavailable():
		return http.StatusServiceUnavailable, domain.FieldErrors{{Message: "The database is unavailable right now, so this could not be saved. Save again in a few seconds: the form still holds what you typed."}}, true
	case errors.As(err, &fe):
		return http.StatusInsufficientStorage, domain.FieldErrors{{Message: "The database is full, so this could not be saved. Tell your administrator; the form still holds what you typed."}}, true
	case errors.As(err, &ve):
		return http.StatusUnprocessableEntity, ve.Errors, true
	case errors.As(err, &ce) && ce.Field != "":
		if ce.With != nil {
			return http.StatusConflict, domain.FieldErrors{{Field: ce.Field, Message: ce.Detail}}, true
		}
		return http.StatusConflict, domain.FieldErrors{{Field: ce.Field, Message: "is already taken (" + ce.Detail + ")"}}, true
	case errors.As(err, &ce):
		return http.StatusConflict, domain.FieldErrors{{Message: ce.Detail}}, true
	}
	return 0, nil, false
}

func (srv *server) renderForm(c echo.Context, status int, k domain.Kind, id string, version int, st formState, fc formContext, errs domain.FieldErrors, stale *staleData) error {
	ctx := c.Request().Context()
	pool := newErrorPool(k, errs)
	d := formData{Kind: k, Noun: k.Singular(), Version: version, Stale: stale}
	d.Fields = fieldViews(k, st, fc, pool)
	d.Dating = datingViewOf(k, id != "", st, fc, pool, srv.opts.Now())
	d.Summary = append(pool.summary, pool.rest()...)
	if fc.Snapshot != nil {
		d.Negotiation = fc.Snapshot.Negotiation.ID
	}

	crumbs := []crumb{{"Negotiations", "/"}}
	if k == domain.KindParty {
		crumbs = append(crumbs, crumb{"Parties", "/parties"})
	}
	if fc.Snapshot != nil {
		crumbs = append(crumbs, crumb{fc.Snapshot.Negotiation.Title, "/negotiations/" + fc.Snapshot.Negotiation.ID})
	}
	var title string
	if id == "" {
		title = "New " + k.Singular()
		d.Action = "/" + string(k) + "/new"
		d.Submit = "Save " + k.Singular()
		d.Cancel = crumbs[len(crumbs)-1].URL
	} else {
		r, err := srv.store.Get(ctx, k, id)
		if err != nil {
			return err
		}
		label := srv.labelOf(ctx, r)
		if k == domain.KindDemand {
			crumbs = append(crumbs, crumb{label, "/demands/" + id})
		}
		title = "Edit " + k.Singular() + ": " + label
		d.Action = "/" + string(k) + "/" + id + "/edit"
		d.Submit = "Save changes"
		if d.Cancel, err = srv.homeOf(ctx, r); err != nil {
			return err
		}
	}
	v := srv.newView(c, title, crumbs...)
	v.Data = d
	return srv.render(c, status, "form", v)
}

// formContextFor loads the form's context for a request: the negotiation
// named by the form's fields, else the one carried in the form (or the
// query of a new form), else, for a negotiation's own edit form, itself.
func (srv *server) formContextFor(c echo.Context, k domain.Kind, id string, st formState) (formContext, error) {
	hint := c.QueryParam("negotiation")
	if c.Request().Method == http.MethodPost {
		hint = c.Request().PostForm.Get("negotiation")
	}
	if k == domain.KindNegotiation {
		// A negotiation belongs to no other; a new one has none yet.
		hint = id
	}
	return srv.formContext(c.Request().Context(), k, st, hint)
}

// formContext loads what the form's selects offer. The negotiation comes
// from the form's own fields where it has them, else from the hint carried
// in the form.
func (srv *server) formContext(ctx context.Context, k domain.Kind, st formState, hint string) (formContext, error) {
	var fc formContext
	if k == domain.KindParty {
		// A bloc's members are picked and pasted from every party.
		parties, err := srv.allParties(ctx)
		fc.AllParties = parties
		return fc, err
	}
	if k == domain.KindNegotiation {
		parties, err := srv.allParties(ctx)
		if err != nil {
			return fc, err
		}
		fc.AllParties = parties
	}
	negID := st.Values["negotiation_id"]
	switch k {
	case domain.KindDelegation:
		if r, err := srv.store.Get(ctx, domain.KindRound, st.Values["round_id"]); err == nil {
			negID = r.(*domain.Round).NegotiationID
		}
	case domain.KindObjection, domain.KindEndorsement:
		if d, err := srv.store.Get(ctx, domain.KindDemand, st.Values["demand_id"]); err == nil {
			negID = d.(*domain.Demand).NegotiationID
		}
	case domain.KindRebuttal:
		if o, err := srv.store.Get(ctx, domain.KindObjection, st.Values["objection_id"]); err == nil {
			negID = o.(*domain.Objection).NegotiationID
		}
	}
	if negID == "" {
		negID = hint
	}
	if negID == "" || !looksLikeID(negID) {
		return fc, nil
	}
	snap, err := srv.store.Snapshot(ctx, negID, domain.Moment{})
	var nf *domain.NotFoundError
	if errors.As(err, &nf) {
		return fc, nil
	}
	fc.Snapshot = snap
	return fc, err
}

// allParties lists every party, following the store's pages.
func (srv *server) allParties(ctx context.Context) ([]*domain.Party, error) {
	var out []*domain.Party
	q := domain.ListQuery{Kind: domain.KindParty, Limit: 500}
	for {
		page, err := srv.store.List(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, r := range page.Items {
			out = append(out, r.(*domain.Party))
		}
		if page.NextCursor == "" {
			return out, nil
		}
		q.Cursor = page.NextCursor
	}
}

// deleteData is the confirmation page of a delete, and its refusal.
type deleteData struct {
	Kind    domain.Kind
	Noun    string
	Label   string
	Version int
	Action  string
	Cancel  string
	// Note says what else follows from the delete, in a sentence.
	Note string
	// OwnedText counts what is deleted with it ("4 endorsements and
	// 1 objection"), Owned lists them.
	OwnedText  string
	Owned      []refLink
	Problem    string
	ReferredBy []refLink
}

type refLink struct {
	Noun  string
	Label string
	URL   string
	Field string
}

// deleteConfirm asks before a delete, saying what goes with the resource;
// a delete the store would refuse is refused here already, before the
// click, naming what still refers to it.
func (srv *server) deleteConfirm(c echo.Context, k domain.Kind) error {
	r, err := srv.load(c, k)
	if err != nil {
		return err
	}
	// What the store's own delete rules say, read before the click.
	_, refs, err := srv.store.Dependents(c.Request().Context(), k, r.Base().ID)
	if err != nil {
		return err
	}
	if len(refs) > 0 {
		return srv.renderDelete(c, http.StatusOK, r, referredProblem, srv.refLinks(c.Request().Context(), refs))
	}
	return srv.renderDelete(c, http.StatusOK, r, "", nil)
}

// referredProblem is why a resource others refer to cannot be deleted.
const referredProblem = "It cannot be deleted while other records still refer to it. Change or delete these first:"

func (srv *server) delete(c echo.Context, k domain.Kind) error {
	ctx := c.Request().Context()
	r, err := srv.load(c, k)
	if err != nil {
		return err
	}
	// A delete is always of the version the confirmation page showed.
	version, err := strconv.Atoi(c.Request().PostForm.Get("version"))
	if err != nil || version < 1 {
		return echo.NewHTTPError(http.StatusBadRequest, "The form lacks the version it deletes. Reload the page and try again.")
	}
	// Where to go afterwards must be worked out while the thing still exists.
	after, err := srv.afterDelete(ctx, r)
	if err != nil {
		return err
	}
	label := srv.labelOf(ctx, r)
	err = srv.store.Delete(ctx, actor(c), k, r.Base().ID, version)
	var (
		ce    *domain.ConflictError
		stale *domain.PreconditionError
	)
	switch {
	case errors.As(err, &ce):
		return srv.renderDelete(c, http.StatusConflict, r, referredProblem, srv.refLinks(ctx, ce.ReferredBy))
	case errors.As(err, &stale):
		current, gerr := srv.store.Get(ctx, k, r.Base().ID)
		if gerr != nil {
			return gerr
		}
		return srv.renderDelete(c, http.StatusPreconditionFailed, current, "Someone else changed it after you opened this page. Check the current version below before deleting it.", nil)
	case err != nil:
		return err
	}
	return srv.redirectWithFlash(c, after, fmt.Sprintf("Deleted the %s “%s”.", k.Singular(), label))
}

func (srv *server) renderDelete(c echo.Context, status int, r domain.Resource, problem string, refs []refLink) error {
	ctx := c.Request().Context()
	k := r.Kind()
	cancel, err := srv.homeOf(ctx, r)
	if err != nil {
		return err
	}
	d := deleteData{Kind: k, Noun: k.Singular(), Label: srv.labelOf(ctx, r), Version: r.Base().Version,
		Action: "/" + string(k) + "/" + r.Base().ID + "/delete", Cancel: cancel, Problem: problem, ReferredBy: refs}
	if len(refs) == 0 {
		owned, _, err := srv.store.Dependents(ctx, k, r.Base().ID)
		if err != nil {
			return err
		}
		d.OwnedText, d.Owned = countRefs(owned), srv.refLinks(ctx, owned)
	}
	crumbs, err := srv.crumbsFor(ctx, r)
	if err != nil {
		return err
	}
	v := srv.newView(c, "Delete "+k.Singular()+": "+d.Label, crumbs...)
	v.Data = d
	return srv.render(c, status, "delete", v)
}

// maxNamedRefs bounds how many of the things that refer to a resource a
// refused delete names with a link; a longer list is still counted in full.
const maxNamedRefs = 50

// refLinks names what still refers to a resource, with links to each. It
// reads the store once per kind involved, not once per referrer.
func (srv *server) refLinks(ctx context.Context, refs []domain.Ref) []refLink {
	byKind := map[domain.Kind][]string{}
	for i, ref := range refs {
		if i < maxNamedRefs {
			byKind[ref.Kind] = append(byKind[ref.Kind], ref.ID)
		}
	}
	var found []domain.Resource
	for k, ids := range byKind {
		rs, err := srv.getMany(ctx, k, ids)
		if err != nil {
			// The refusal itself is what matters; ids stand in for names.
			continue
		}
		for _, r := range rs {
			found = append(found, r)
		}
	}
	names, _ := srv.nameAll(ctx, found)
	out := make([]refLink, 0, len(refs))
	for _, ref := range refs {
		l := refLink{Noun: ref.Kind.Singular(), Label: ref.ID, Field: labelFor(ref.Kind, ref.Field)}
		if n, ok := names[ref.ID]; ok {
			l.Label, l.URL = n.Label, n.Home
		}
		out = append(out, l)
	}
	return out
}
