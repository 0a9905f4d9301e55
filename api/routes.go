package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/parley/parley/domain"
)

// route is one API endpoint and its documentation. Every /api/v1 route is
// registered through add, so the OpenAPI document cannot miss one.
type route struct {
	Method  string
	Path    string      // under /api/v1, in echo syntax: "/parties/:id"
	Role    domain.Role // the least role allowed; "" for a public route
	Handler echo.HandlerFunc
	Doc     operation
}

// add registers r on g behind authentication and the role check, and
// records it for the OpenAPI document.
func (h *handlers) add(g *echo.Group, r route) {
	var mw []echo.MiddlewareFunc
	if r.Role != "" {
		mw = append(mw, h.requireRole(r.Role))
	}
	g.Add(r.Method, r.Path, r.Handler, mw...)
	h.routes = append(h.routes, r)
}

// register adds every /api/v1 route.
func (h *handlers) register(v1 *echo.Group) {
	h.add(v1, route{http.MethodPost, "/auth/login", "", h.login, operation{
		ID: "login", Tag: "auth", Summary: "Sign in and receive an API bearer token",
		Request: jsonBody(ref("Credentials")), Success: http.StatusOK, Response: jsonBody(ref("Token")),
		Errors: []int{400, 401, 413, 415, 422},
	}})
	h.add(v1, route{http.MethodPost, "/auth/logout", domain.RoleViewer, h.logout, operation{
		ID: "logout", Tag: "auth", Summary: "Revoke the bearer token of this request",
		Success: http.StatusNoContent,
	}})
	h.add(v1, route{http.MethodGet, "/openapi.json", "", h.openapi, operation{
		ID: "openapi", Tag: "meta", Summary: "This OpenAPI document",
		Success: http.StatusOK, Response: jsonBody(map[string]any{"type": "object"}),
	}})
	h.add(v1, route{http.MethodGet, "/users", domain.RoleAdmin, h.listUsers, operation{
		ID: "listUsers", Tag: "users", Summary: "List the user accounts",
		Success: http.StatusOK, Response: jsonBody(itemsOf(ref("User"), false)),
	}})
	h.add(v1, route{http.MethodPost, "/users", domain.RoleAdmin, h.createUser, operation{
		ID: "createUser", Tag: "users", Summary: "Create a user account",
		Request: jsonBody(ref("UserInput")), Success: http.StatusCreated, Response: jsonBody(ref("User")),
		Headers: []string{"Location"}, Errors: []int{400, 409, 413, 415, 422},
	}})
	h.add(v1, route{http.MethodGet, "/users/:id", domain.RoleAdmin, h.getUser, operation{
		ID: "getUser", Tag: "users", Summary: "Read a user account",
		Success: http.StatusOK, Response: jsonBody(ref("User")), Errors: []int{404},
	}})
	h.add(v1, route{http.MethodPatch, "/users/:id", domain.RoleAdmin, h.patchUser, operation{
		ID: "patchUser", Tag: "users", Summary: "Change a user's role and/or password; a new password revokes the user's tokens and sessions",
		Request: jsonBody(ref("UserPatch")), Success: http.StatusOK, Response: jsonBody(ref("User")),
		Errors: []int{400, 404, 409, 413, 415, 422},
	}})
	h.add(v1, route{http.MethodDelete, "/users/:id", domain.RoleAdmin, h.deleteUser, operation{
		ID: "deleteUser", Tag: "users", Summary: "Delete a user account with its tokens and sessions; the last admin cannot be deleted",
		Success: http.StatusNoContent, Errors: []int{404, 409},
	}})
	h.add(v1, route{http.MethodGet, "/categories", domain.RoleViewer, h.categories, operation{
		ID: "listCategories", Tag: "topics", Summary: "The topic taxonomy: a fixed list of what peace and multilateral agreements deal with (informed by the PA-X codebook and the UNFCCC agenda); a topic's category is one of its keys",
		Success: http.StatusOK, Response: jsonBody(map[string]any{"type": "object", "required": []string{"items"}, "properties": map[string]any{
			"items": map[string]any{"type": "array", "items": object([]string{"key", "label", "description"}, map[string]any{
				"key": stringSchema(), "label": stringSchema(), "description": stringSchema(),
			})},
		}}),
	}})
	for _, k := range domain.Kinds {
		h.registerCollection(v1, k)
	}
	h.registerViews(v1)
	h.registerImport(v1)
	h.registerTimeline(v1)
	h.registerIssuedReports(v1)
}

// registerCollection adds the create, list, read, change, delete and
// history routes of one collection, all served by the same generic handlers.
func (h *handlers) registerCollection(v1 *echo.Group, k domain.Kind) {
	rh := resourceHandlers{handlers: h, kind: k}
	name := schemaName(k)
	base := "/" + string(k)
	one := base + "/:id"
	h.add(v1, route{http.MethodPost, base, domain.RoleEditor, rh.create, operation{
		ID: "create" + name, Tag: string(k), Summary: "Create a " + k.Singular(),
		Request: jsonBody(ref(name + "Input")), Success: http.StatusCreated, Response: jsonBody(ref(name)),
		Headers: []string{"Location", "ETag"}, Errors: []int{400, 409, 413, 415, 422},
	}})
	h.add(v1, route{http.MethodGet, base, domain.RoleViewer, rh.list, operation{
		ID: "list" + strings.ToUpper(string(k)[:1]) + string(k)[1:], Tag: string(k), Summary: "List " + string(k) + ", oldest first, one page at a time",
		Query: listParams(k), Success: http.StatusOK, Response: jsonBody(itemsOf(ref(name), true)),
		Errors: []int{422},
	}})
	h.add(v1, route{http.MethodGet, one, domain.RoleViewer, rh.get, operation{
		ID: "get" + name, Tag: string(k), Summary: "Read a " + k.Singular(),
		Success: http.StatusOK, Response: jsonBody(ref(name)), Headers: []string{"ETag"}, Errors: []int{404},
	}})
	h.add(v1, route{http.MethodPatch, one, domain.RoleEditor, rh.patch, operation{
		ID: "patch" + name, Tag: string(k), Summary: "Change a " + k.Singular() + " with a JSON merge patch (RFC 7396)",
		Request: map[string]any{mimeJSON: ref(name + "Patch"), mimeMergePatch: ref(name + "Patch")},
		Header:  []parameter{ifMatchParam}, Success: http.StatusOK, Response: jsonBody(ref(name)),
		Headers: []string{"ETag"}, Errors: []int{400, 404, 409, 412, 413, 415, 422},
	}})
	h.add(v1, route{http.MethodDelete, one, domain.RoleEditor, rh.delete, operation{
		ID: "delete" + name, Tag: string(k), Summary: "Delete a " + k.Singular() + " and the parts it owns",
		Header: []parameter{ifMatchParam}, Success: http.StatusNoContent, Errors: []int{400, 404, 409, 412},
	}})
	h.add(v1, route{http.MethodGet, one + "/history", domain.RoleViewer, rh.history, operation{
		ID: "history" + name, Tag: string(k), Summary: "Every revision of a " + k.Singular() + ", deleted ones included",
		Success: http.StatusOK, Response: jsonBody(itemsOf(ref("Revision"), false)), Errors: []int{404},
	}})
}

// listParams documents the query parameters a list of kind k accepts.
func listParams(k domain.Kind) []parameter {
	ps := []parameter{
		{Name: "limit", Description: "page size", Schema: map[string]any{"type": "integer", "minimum": 1, "maximum": maxLimit, "default": defaultLimit}},
		{Name: "cursor", Description: "the next_cursor of the previous page", Schema: stringSchema()},
		{Name: "q", Description: "text to find, in any case", Schema: map[string]any{"type": "string", "maxLength": maxQuery}},
	}
	for _, f := range domain.RefFields[k] {
		ps = append(ps, parameter{Name: f, Description: "only those referring to this id", Schema: uuidSchema()})
	}
	if domain.HasCategory(k) {
		ps = append(ps, parameter{Name: "category", Description: "only those in this category of GET /api/v1/categories (a demand's is its topic's), across negotiations", Schema: map[string]any{"type": "string", "enum": domain.CategoryKeys().Strings()}})
	}
	if domain.HasStatus(k) {
		ps = append(ps, parameter{Name: "status", Description: "only those with this status", Schema: map[string]any{"type": "string", "enum": domain.EnumValues(string(k) + ".status")}})
	}
	return ps
}

var ifMatchParam = parameter{
	Name: "If-Match", Description: `the ETag of the version the change is based on ("3"); a stale one gets 412`,
	Schema: stringSchema(),
}
