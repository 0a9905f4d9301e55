package api

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/parley/parley/auth"
	"github.com/parley/parley/domain"
)

// List limits of the contract.
const (
	defaultLimit = 50
	maxLimit     = 500
	maxQuery     = 200
)

// filterFields is every reference filter any collection has; a filter that
// exists but not for the collection asked is an error, not silently ignored.
var filterFields = func() []string {
	seen := map[string]bool{}
	var all []string
	for _, fields := range domain.RefFields {
		for _, f := range fields {
			if !seen[f] {
				seen[f] = true
				all = append(all, f)
			}
		}
	}
	sort.Strings(all)
	return all
}()

// resourceHandlers serves one collection.
type resourceHandlers struct {
	*handlers
	kind domain.Kind
}

// pathID is the :id of the path; one that is not a UUID names nothing, so
// it is a 404 rather than a validation error.
func (rh resourceHandlers) pathID(c echo.Context) (string, error) {
	id := c.Param("id")
	if _, err := uuid.Parse(id); err != nil || len(id) != 36 {
		return "", &domain.NotFoundError{Kind: rh.kind, ID: truncate(id, 64)}
	}
	return strings.ToLower(id), nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func actor(c echo.Context) string {
	if u := auth.User(c); u != nil {
		return u.Username
	}
	return ""
}

func (rh resourceHandlers) create(c echo.Context) error {
	body, err := readBody(c, mimeJSON)
	if err != nil {
		return err
	}
	body, when, datingErrs := domain.ExtractDating(body, rh.now())
	r, _, err := domain.Decode(rh.kind, body)
	if err == nil && len(datingErrs) > 0 {
		// Name the resource's own bad fields beside the dating ones.
		r.Normalize()
		err = r.Validate().Err()
	}
	if err := withDatingErrors(err, datingErrs); err != nil {
		return err
	}
	if err := rh.store.Create(c.Request().Context(), actor(c), r, when); err != nil {
		return err
	}
	m := r.Base()
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/"+string(rh.kind)+"/"+m.ID)
	c.Response().Header().Set("ETag", etag(m.Version))
	return c.JSON(http.StatusCreated, r)
}

func (rh resourceHandlers) get(c echo.Context) error {
	id, err := rh.pathID(c)
	if err != nil {
		return err
	}
	r, err := rh.store.Get(c.Request().Context(), rh.kind, id)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(r.Base().Version))
	return c.JSON(http.StatusOK, r)
}

func (rh resourceHandlers) patch(c echo.Context) error {
	id, err := rh.pathID(c)
	if err != nil {
		return err
	}
	ifMatch, err := parseIfMatch(c)
	if err != nil {
		return err
	}
	body, err := readBody(c, mimeJSON, mimeMergePatch)
	if err != nil {
		return err
	}
	// The body's own fields are checked, and its version read, before the
	// store is asked: the version must be known to make the update
	// conditional. Values of the wrong type are reported by ApplyPatch,
	// along with everything else wrong with the patched resource.
	body, when, datingErrs := domain.ExtractDating(body, rh.now())
	bodyVersion, err := domain.PatchVersion(rh.kind, body)
	if err != nil || len(datingErrs) > 0 {
		return rh.patchProblems(c, id, body, err, datingErrs)
	}
	if ifMatch > 0 && bodyVersion > 0 && ifMatch != bodyVersion {
		return newProblem(http.StatusPreconditionFailed,
			fmt.Sprintf("If-Match names version %d but the body's version is %d", ifMatch, bodyVersion))
	}
	ifVersion := ifMatch
	if ifVersion == 0 {
		ifVersion = bodyVersion
	}
	r, err := rh.store.Update(c.Request().Context(), actor(c), rh.kind, id, ifVersion, when, func(current domain.Resource) (domain.Resource, error) {
		next, _, err := domain.ApplyPatch(current, body)
		return next, err
	})
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(r.Base().Version))
	return c.JSON(http.StatusOK, r)
}

// patchProblems answers a patch whose dating fields or version are bad
// with every problem of the request at once: those, and what is wrong with
// the resource the patch would make.
func (rh resourceHandlers) patchProblems(c echo.Context, id string, body []byte, err error, datingErrs domain.FieldErrors) error {
	if err == nil {
		cur, getErr := rh.store.Get(c.Request().Context(), rh.kind, id)
		if getErr != nil {
			return getErr
		}
		var next domain.Resource
		if next, _, err = domain.ApplyPatch(cur, body); err == nil {
			next.Normalize()
			err = next.Validate().Err()
		}
	}
	return withDatingErrors(err, datingErrs)
}

// withDatingErrors adds the problems with a write's dating fields to those
// the decoder found, so that every bad field is named at once. A body that
// could not be read at all stays a 400.
func withDatingErrors(err error, datingErrs domain.FieldErrors) error {
	if len(datingErrs) == 0 {
		return err
	}
	var ve *domain.ValidationError
	switch {
	case err == nil:
		return datingErrs.Err()
	case errors.As(err, &ve):
		return &domain.ValidationError{Errors: append(ve.Errors, datingErrs...)}
	}
	return err
}

func (rh resourceHandlers) delete(c echo.Context) error {
	id, err := rh.pathID(c)
	if err != nil {
		return err
	}
	ifMatch, err := parseIfMatch(c)
	if err != nil {
		return err
	}
	if err := rh.store.Delete(c.Request().Context(), actor(c), rh.kind, id, ifMatch); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (rh resourceHandlers) history(c echo.Context) error {
	id, err := rh.pathID(c)
	if err != nil {
		return err
	}
	revs, err := rh.store.History(c.Request().Context(), rh.kind, id)
	if err != nil {
		return err
	}
	if revs == nil {
		revs = []domain.Revision{}
	}
	return c.JSON(http.StatusOK, map[string]any{"items": revs})
}

// listResponse is one page of a collection.
type listResponse struct {
	Items      []domain.Resource `json:"items"`
	NextCursor *string           `json:"next_cursor"`
}

func (rh resourceHandlers) list(c echo.Context) error {
	q, err := parseListQuery(rh.kind, c.QueryParams())
	if err != nil {
		return err
	}
	page, err := rh.store.List(c.Request().Context(), q)
	if err != nil {
		return err
	}
	resp := listResponse{Items: page.Items}
	if resp.Items == nil {
		resp.Items = []domain.Resource{}
	}
	if page.NextCursor != "" {
		resp.NextCursor = &page.NextCursor
	}
	return c.JSON(http.StatusOK, resp)
}

// parseListQuery checks a list's query parameters, reporting every bad one
// at once. Parameters the API does not know are ignored (browsers and
// proxies add their own); empty values count as absent, as forms send them.
func parseListQuery(k domain.Kind, params map[string][]string) (domain.ListQuery, error) {
	q := domain.ListQuery{Kind: k, Limit: defaultLimit, Refs: map[string]string{}}
	var errs domain.FieldErrors
	get := func(name string) string {
		if v := params[name]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	if v := get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			errs.Add("limit", "must be an integer from 1 to %d", maxLimit)
		}
		q.Limit = n
	}
	q.Cursor = get("cursor")
	if q.Cursor != "" {
		if _, err := domain.DecodeCursor(q.Cursor); err != nil {
			errs.Add("cursor", "is not a cursor of this list")
		}
	}
	allowed := map[string]bool{}
	for _, f := range domain.RefFields[k] {
		allowed[f] = true
	}
	for _, f := range filterFields {
		v := get(f)
		if v == "" {
			continue
		}
		if !allowed[f] {
			errs.Add(f, "is not a filter of %s", k)
			continue
		}
		if _, err := uuid.Parse(v); err != nil || len(v) != 36 {
			errs.Add(f, "must be a UUID")
			continue
		}
		q.Refs[f] = strings.ToLower(v)
	}
	if v := get("status"); v != "" {
		values := domain.EnumValues(string(k) + ".status")
		switch {
		case !domain.HasStatus(k):
			errs.Add("status", "is not a filter of %s", k)
		case !contains(values, v):
			errs.Add("status", "must be one of %s", strings.Join(values, ", "))
		default:
			q.Status = v
		}
	}
	if v := get("category"); v != "" {
		switch {
		case !domain.HasCategory(k):
			errs.Add("category", "is not a filter of %s", k)
		case !domain.CategoryKeys().Has(v):
			errs.Add("category", "must be one of %s (GET /api/v1/categories)", domain.CategoryKeys().String())
		default:
			q.Category = v
		}
	}
	if v := get("q"); v != "" {
		// NUL: PostgreSQL cannot compare text holding one.
		if utf8.RuneCountInString(v) > maxQuery || !utf8.ValidString(v) || strings.IndexByte(v, 0) >= 0 {
			errs.Add("q", "must be valid text of at most %d characters", maxQuery)
		}
		q.Text = v
	}
	if err := errs.Err(); err != nil {
		return domain.ListQuery{}, err
	}
	return q, nil
}

func contains(values []string, v string) bool {
	for _, x := range values {
		if x == v {
			return true
		}
	}
	return false
}

// isNotFound reports whether err is a *domain.NotFoundError.
func isNotFound(err error) bool {
	var nf *domain.NotFoundError
	return errors.As(err, &nf)
}
