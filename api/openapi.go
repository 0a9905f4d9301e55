package api

import (
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/parley/parley/domain"
	"github.com/parley/parley/report"
)

// operation documents one route for the OpenAPI document.
type operation struct {
	ID      string // operationId, unique
	Tag     string
	Summary string
	// Description says what the summary cannot: semantics, edge cases.
	Description string
	Query       []parameter
	Header      []parameter
	// Request maps media types to the request body's schema; nil for none.
	Request map[string]any
	Success int
	// Response maps media types to the success body's schema; nil for none.
	Response map[string]any
	// Headers are response headers of the success (Location, ETag,
	// Content-Disposition).
	Headers []string
	// Errors are the statuses this route can answer beyond the common ones
	// (401 and 403 on authenticated routes, 429 and 500 everywhere).
	Errors []int
}

// parameter is a query or header parameter.
type parameter struct {
	Name        string
	Description string
	Required    bool
	Schema      map[string]any
}

func ref(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }

func jsonBody(schema map[string]any) map[string]any { return map[string]any{mimeJSON: schema} }

func stringSchema() map[string]any { return map[string]any{"type": "string"} }

func uuidSchema() map[string]any { return map[string]any{"type": "string", "format": "uuid"} }

// enumSchema is an enumeration without a default: the value must be given,
// or an absent one stays empty.
func enumSchema(values []string) map[string]any {
	return map[string]any{"type": "string", "enum": values}
}

// fieldEnumSchema is the enumeration of a resource's field, keyed
// "kind.field": with the default Normalize applies, where it applies one.
func fieldEnumSchema(key string) map[string]any {
	values := domain.EnumValues(key)
	s := enumSchema(values)
	if domain.EnumDefaulted(key) {
		s["default"] = values[0]
	}
	return s
}

// itemsOf is the {"items": [...]} envelope, with next_cursor for pages.
func itemsOf(item map[string]any, paged bool) map[string]any {
	props := map[string]any{"items": map[string]any{"type": "array", "items": item}}
	required := []string{"items"}
	if paged {
		props["next_cursor"] = map[string]any{"type": "string", "nullable": true, "description": "null on the last page"}
		required = append(required, "next_cursor")
	}
	return map[string]any{"type": "object", "properties": props, "required": required}
}

// schemaName is the component name of a kind's resource schema ("Party").
func schemaName(k domain.Kind) string {
	s := k.Singular()
	return strings.ToUpper(s[:1]) + s[1:]
}

func (h *handlers) openapi(c echo.Context) error {
	h.docOnce.Do(func() {
		h.doc, h.docErr = json.Marshal(buildDocument(h.routes))
	})
	if h.docErr != nil {
		return h.docErr
	}
	return c.JSONBlob(http.StatusOK, h.doc)
}

// errorResponses names the component response of each error status.
var errorResponses = map[int]string{
	400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 409: "Conflict",
	412: "PreconditionFailed", 413: "PayloadTooLarge", 415: "UnsupportedMediaType",
	422: "UnprocessableEntity", 429: "TooManyRequests", 500: "InternalServerError", 503: "ServiceUnavailable",
	507: "InsufficientStorage",
}

// documentLicense is the licence the document states, and documentLicenseURL
// where its terms are written: the README's "Licence" section, at the
// repository the module path names. No licence has been granted, which
// leaves all rights with the authors.
const (
	documentLicense    = "Proprietary"
	documentLicenseURL = "https://github.com/parley/parley#licence"
)

// buildDocument writes the OpenAPI 3 document of routes.
func buildDocument(routes []route) map[string]any {
	paths := map[string]any{}
	for _, r := range routes {
		path, pathParams := openapiPath(r.Path)
		item, _ := paths[path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[path] = item
		}
		item[strings.ToLower(r.Method)] = buildOperation(r, pathParams)
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":       "parley",
			"version":     "1",
			"description": "Diplomatic negotiation position tracker. Every error is application/problem+json (RFC 9457).",
			"license":     map[string]any{"name": documentLicense, "url": documentLicenseURL},
		},
		"servers": []any{map[string]any{"url": "/api/v1"}},
		"paths":   paths,
		"components": map[string]any{
			"schemas":         componentSchemas(),
			"responses":       componentResponses(),
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}},
		},
	}
}

// openapiPath turns "/parties/:id" into "/parties/{id}" and lists the parameters.
func openapiPath(echoPath string) (string, []string) {
	segs := strings.Split(echoPath, "/")
	var params []string
	for i, s := range segs {
		if strings.HasPrefix(s, ":") {
			params = append(params, s[1:])
			segs[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(segs, "/"), params
}

func buildOperation(r route, pathParams []string) map[string]any {
	d := r.Doc
	var params []any
	for _, p := range pathParams {
		params = append(params, map[string]any{"name": p, "in": "path", "required": true, "schema": uuidSchema()})
	}
	for _, p := range d.Query {
		params = append(params, paramDoc(p, "query"))
	}
	for _, p := range d.Header {
		params = append(params, paramDoc(p, "header"))
	}
	success := map[string]any{"description": http.StatusText(d.Success)}
	if d.Response != nil {
		success["content"] = contentDoc(d.Response)
	}
	if len(d.Headers) > 0 {
		headers := map[string]any{}
		for _, name := range d.Headers {
			headers[name] = map[string]any{"schema": stringSchema()}
		}
		success["headers"] = headers
	}
	responses := map[string]any{strconv.Itoa(d.Success): success}
	// Every route is behind the per-client rate limit (429), can fail
	// inside (500) and meets the database's faults: unreachable or
	// restarting (503), full (507).
	errs := append([]int{429, 500, 503, 507}, d.Errors...)
	if r.Role != "" {
		errs = append(errs, 401, 403)
	}
	for _, status := range errs {
		responses[strconv.Itoa(status)] = map[string]any{"$ref": "#/components/responses/" + errorResponses[status]}
	}
	op := map[string]any{
		"operationId": d.ID,
		"summary":     d.Summary,
		"tags":        []string{d.Tag},
		"responses":   responses,
	}
	if len(params) > 0 {
		op["parameters"] = params
	}
	if d.Request != nil {
		op["requestBody"] = map[string]any{"required": true, "content": contentDoc(d.Request)}
	}
	if d.Description != "" {
		op["description"] = d.Description
	}
	if r.Role != "" {
		op["security"] = []any{map[string]any{"bearer": []string{}}}
		op["description"] = strings.TrimSpace(d.Description + "\n\nRequires the role " + string(r.Role) + " or higher.")
	} else {
		op["security"] = []any{}
	}
	return op
}

func paramDoc(p parameter, in string) map[string]any {
	m := map[string]any{"name": p.Name, "in": in, "schema": p.Schema}
	if p.Description != "" {
		m["description"] = p.Description
	}
	if p.Required {
		m["required"] = true
	}
	return m
}

func contentDoc(media map[string]any) map[string]any {
	out := map[string]any{}
	for mt, schema := range media {
		out[mt] = map[string]any{"schema": schema}
	}
	return out
}

func componentResponses() map[string]any {
	out := map[string]any{}
	for status, name := range errorResponses {
		resp := map[string]any{
			"description": http.StatusText(status),
			"content":     map[string]any{"application/problem+json": map[string]any{"schema": ref("Problem")}},
		}
		switch status {
		case 401:
			resp["headers"] = map[string]any{"WWW-Authenticate": map[string]any{"schema": stringSchema()}}
		case 429, 503, 507:
			resp["headers"] = map[string]any{"Retry-After": map[string]any{"schema": map[string]any{"type": "integer"}}}
		}
		out[name] = resp
	}
	return out
}

// componentSchemas describes every request and response body, the
// resources' by reflection over the domain types so that a new field is
// documented the moment it exists.
func componentSchemas() map[string]any {
	fieldErrors := map[string]any{"type": "array", "items": map[string]any{
		"type": "object", "required": []string{"field", "message"},
		"properties": map[string]any{"field": stringSchema(), "message": stringSchema()},
	}}
	s := map[string]any{
		"Problem": map[string]any{
			"type":     "object",
			"required": []string{"type", "title", "status", "detail"},
			"properties": map[string]any{
				"type":     map[string]any{"type": "string", "format": "uri"},
				"title":    stringSchema(),
				"status":   map[string]any{"type": "integer"},
				"detail":   stringSchema(),
				"instance": map[string]any{"type": "string", "description": "the path of the request"},
				"errors":   fieldErrors,
				"referred_by": map[string]any{"type": "array", "items": map[string]any{
					"type": "object", "required": []string{"kind", "id", "field"},
					"properties": map[string]any{"kind": enumOfKinds(), "id": uuidSchema(), "field": stringSchema()},
				}},
				"conflicts_with": map[string]any{
					"type": "object", "required": []string{"kind", "id", "name"},
					"description": "on a 409 for a duplicate: the existing record it collides with (a party whose name or alias it is, the delegation already holding the seat)",
					"properties":  map[string]any{"kind": enumOfKinds(), "id": uuidSchema(), "name": stringSchema()},
				},
			},
		},
		// Not LoginRequest and LoginResponse: client generators name the
		// types of the login operation so (oapi-codegen's LoginResponse),
		// and a schema of the same name would not compile.
		"IssueReportRequest": issueReportRequestSchema(),
		"IssuedReport":       issuedReportSchema(),
		"Matrix":             matrixSchema(),
		"CompactMatrix":      compactMatrixSchema(),
		"Credentials": object([]string{"username", "password"}, map[string]any{
			"username": stringSchema(), "password": map[string]any{"type": "string", "format": "password"},
		}),
		"Token": object([]string{"token", "expires_at"}, map[string]any{
			"token": stringSchema(), "expires_at": dateTimeSchema(),
		}),
		"UserInput": object([]string{"username", "password", "role"}, map[string]any{
			"username": map[string]any{"type": "string", "maxLength": 64},
			"password": map[string]any{"type": "string", "format": "password", "minLength": domain.MinPassword, "maxLength": domain.MaxPassword},
			"role":     enumSchema(domain.Roles().Strings()),
		}),
		"UserPatch": map[string]any{
			"type": "object", "additionalProperties": false, "minProperties": 1,
			"properties": map[string]any{
				"password": map[string]any{"type": "string", "format": "password", "minLength": domain.MinPassword, "maxLength": domain.MaxPassword},
				"role":     enumSchema(domain.Roles().Strings()),
			},
		},
		"User": object([]string{"id", "username", "role", "created_at", "updated_at", "version"}, map[string]any{
			"id": uuidSchema(), "username": stringSchema(), "role": enumSchema(domain.Roles().Strings()),
			"created_at": dateTimeSchema(), "updated_at": dateTimeSchema(), "version": map[string]any{"type": "integer"},
		}),
		"Revision": object([]string{"resource_type", "resource_id", "revision", "action", "actor", "at", "effective_at", "change_citations", "resource"}, map[string]any{
			"resource_type": enumOfKinds(), "resource_id": uuidSchema(), "revision": map[string]any{"type": "integer"},
			"action": enumSchema(domain.RevisionActions().Strings()), "actor": stringSchema(),
			"at":               map[string]any{"type": "string", "format": "date-time", "description": "record time: when the revision was written"},
			"effective_at":     map[string]any{"type": "string", "format": "date-time", "description": "negotiation time: when the change took effect in the talks"},
			"change_note":      map[string]any{"type": "string", "description": "why the move happened; absent when not given"},
			"change_citations": map[string]any{"type": "array", "items": ref("Citation")},
			"resource":         map[string]any{"type": "object", "description": "the resource as it stood after the revision (before it, for a delete)"},
		}),
	}
	nested := map[reflect.Type]string{}
	for _, k := range domain.Kinds {
		t := reflect.TypeOf(domain.New(k)).Elem()
		name := schemaName(k)
		gen := schemaGen{kind: k, components: s, nested: nested}
		s[name] = gen.resource(t)
		s[name+"Patch"] = gen.input(t, nil)
		// Only a create fills in what is left out; a patch leaves it as it
		// is, and an answer always carries every field.
		gen.defaults = true
		s[name+"Input"] = gen.input(t, domain.Required[k])
	}
	return s
}

func enumOfKinds() map[string]any {
	names := make([]string, len(domain.Kinds))
	for i, k := range domain.Kinds {
		names[i] = string(k)
	}
	return map[string]any{"type": "string", "enum": names}
}

// nullable lets a schema with a type also be null, as OpenAPI 3.0 says it:
// nullable needs a type beside it. A $ref cannot carry siblings, so a
// nullable reference (only ever to an object) is wrapped in allOf.
func nullable(s map[string]any) map[string]any {
	if _, ok := s["$ref"]; ok {
		return map[string]any{"type": "object", "allOf": []any{s}, "nullable": true}
	}
	s["nullable"] = true
	return s
}

func dateTimeSchema() map[string]any { return map[string]any{"type": "string", "format": "date-time"} }

func object(required []string, props map[string]any) map[string]any {
	o := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

// schemaGen turns a domain type into JSON schemas.
type schemaGen struct {
	kind       domain.Kind
	components map[string]any
	nested     map[reflect.Type]string
	// defaults states the defaults a create applies (see domain.Defaulted).
	defaults bool
}

// metaProps are the server-set fields every resource carries.
func metaProps(readOnly bool) map[string]any {
	ro := func(m map[string]any) map[string]any {
		if readOnly {
			m["readOnly"] = true
		}
		return m
	}
	return map[string]any{
		"id":         ro(uuidSchema()),
		"created_at": ro(dateTimeSchema()),
		"updated_at": ro(dateTimeSchema()),
		"version":    ro(map[string]any{"type": "integer", "minimum": 1}),
		"effective_at": ro(map[string]any{"type": "string", "format": "date-time",
			"description": "negotiation time: when the resource's current state took effect in the talks"}),
	}
}

// datingProps are the fields that date a write in negotiation time. They
// are stored with the revision, never as fields of the resource.
func datingProps() map[string]any {
	return map[string]any{
		domain.FieldEffectiveOn: map[string]any{"type": "string", "nullable": true,
			"description": "when this write took effect in the talks: YYYY-MM-DD (the start of that day, UTC) or an RFC 3339 time, at most tomorrow. " +
				"Default: the resource's own date on create (stated_on, starts_on, started_on; a delegation its round's starts_on; a topic its negotiation's started_on), now on change. " +
				"A change dated before the resource's latest dated change is inserted into its timeline at that date."},
		domain.FieldChangeNote: map[string]any{"type": "string", "nullable": true, "maxLength": domain.MaxText,
			"description": "why the move happened, e.g. \"softened under US pressure\""},
		domain.FieldChangeCitations: map[string]any{"type": "array", "nullable": true, "maxItems": domain.MaxList, "items": ref("Citation"),
			"description": "the sources that reported the move"},
	}
}

// resource is the schema of the resource as the API answers it: every
// field is present except an optional one that is not set (omitempty),
// which is absent rather than "" so that typed clients can decode it.
func (g schemaGen) resource(t reflect.Type) map[string]any {
	props := metaProps(true)
	required := []string{"id", "created_at", "updated_at", "version", "effective_at"}
	writable := map[string]bool{}
	for _, f := range domain.FieldNames(g.kind) {
		writable[f] = true
	}
	for _, f := range jsonFields(t) {
		p := g.field(string(g.kind), f.name, f.typ)
		if !writable[f.name] {
			p["readOnly"] = true
			p["description"] = "derived by the server"
		}
		props[f.name] = p
		if !f.omitEmpty {
			required = append(required, f.name)
		}
	}
	return object(required, props)
}

// input is a create (required given) or patch (required nil) body: the
// writable fields and the optional version precondition. Read-only fields
// are accepted and ignored; anything else is a 400. Null stands for "not
// set": on a create it leaves an optional field empty, in a patch it clears
// the field (RFC 7396).
func (g schemaGen) input(t reflect.Type, required []string) map[string]any {
	props := metaProps(true)
	props["version"] = map[string]any{"type": "integer", "minimum": 1, "description": "makes the write conditional on this version (412 if stale)"}
	for name, p := range datingProps() {
		props[name] = p
	}
	writable := map[string]bool{}
	for _, f := range domain.FieldNames(g.kind) {
		writable[f] = true
	}
	for _, f := range jsonFields(t) {
		if writable[f.name] {
			p := g.field(string(g.kind), f.name, f.typ)
			if required == nil || !slices.Contains(required, f.name) {
				p = nullable(p)
			}
			props[f.name] = p
		}
	}
	o := object(required, props)
	o["additionalProperties"] = false
	return o
}

type jsonField struct {
	name string
	typ  reflect.Type
	// omitEmpty marks an optional field that is absent when not set.
	omitEmpty bool
}

// jsonFields lists a struct's own JSON fields (not embedded Meta).
func jsonFields(t reflect.Type) []jsonField {
	var out []jsonField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous || name == "" || name == "-" {
			continue
		}
		out = append(out, jsonField{name: name, typ: f.Type, omitEmpty: slices.Contains(strings.Split(opts, ","), "omitempty")})
	}
	return out
}

var (
	timeType  = reflect.TypeOf(time.Time{})
	gradeType = reflect.TypeOf(domain.Grade(""))
)

// field is the schema of one field; prefix is its domain.Enums key prefix
// ("parties", "negotiations.participants", "citations").
func (g schemaGen) field(prefix, name string, t reflect.Type) map[string]any {
	switch t {
	case timeType:
		return dateTimeSchema()
	case gradeType:
		return enumSchema(domain.EnumValues("citations.credibility"))
	}
	switch t.Kind() {
	case reflect.String:
		if values := domain.EnumValues(prefix + "." + name); values != nil {
			if !g.defaults {
				return enumSchema(values)
			}
			return fieldEnumSchema(prefix + "." + name)
		}
		switch {
		case strings.HasSuffix(name, "_id"):
			return uuidSchema()
		case strings.HasSuffix(name, "_on"):
			return map[string]any{"type": "string", "format": "date"}
		case name == "published_at":
			return map[string]any{"type": "string", "description": "an RFC 3339 time or a YYYY-MM-DD date"}
		case name == "url":
			return map[string]any{"type": "string", "format": "uri", "maxLength": domain.MaxURL}
		}
		return stringSchema()
	case reflect.Int, reflect.Int64:
		return map[string]any{"type": "integer"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Map:
		return termsSchema()
	case reflect.Slice:
		max := domain.MaxList
		if n, ok := domain.ListLimits[prefix+"."+name]; ok {
			max = n
		}
		return map[string]any{"type": "array", "maxItems": max, "items": g.field(prefix+"."+name, "", t.Elem())}
	case reflect.Struct:
		return ref(g.nestedSchema(prefix, t))
	}
	return map[string]any{}
}

// nestedSchema registers a struct used inside resources (Participant,
// Member, Citation) once and returns its component name.
func (g schemaGen) nestedSchema(prefix string, t reflect.Type) string {
	if name, ok := g.nested[t]; ok {
		return name
	}
	name := t.Name()
	g.nested[t] = name
	// Citations are shared by several kinds; their enums are keyed "citations.*".
	if t == reflect.TypeOf(domain.Citation{}) {
		prefix = "citations"
	}
	// Every field is present in an answer but those left out when empty;
	// a request may leave out or null those too.
	props := map[string]any{}
	var required []string
	for _, f := range jsonFields(t) {
		p := g.field(prefix, f.name, f.typ)
		if f.omitEmpty {
			p = nullable(p)
		} else {
			required = append(required, f.name)
		}
		props[f.name] = p
	}
	g.components[name] = object(required, props)
	return name
}

// issueReportRequestSchema documents the body of POST /negotiations/{id}/reports.
func issueReportRequestSchema() map[string]any {
	o := object([]string{"format"}, map[string]any{
		"format":   map[string]any{"type": "string", "enum": report.FormatNames()},
		"as_of":    map[string]any{"type": "string", "description": "negotiation time the report describes: RFC 3339, or YYYY-MM-DD for the end of that day; empty for now"},
		"since":    map[string]any{"type": "string", "description": "add what moved from this instant (RFC 3339, or YYYY-MM-DD for the start of that day)"},
		"layout":   map[string]any{"type": "string", "enum": report.Layouts},
		"audience": map[string]any{"type": "string", "enum": domain.HandlingMarkings().Strings(), "description": "leave out everything marked above this TLP 2.0 marking"},
		"title":    map[string]any{"type": "string", "maxLength": domain.MaxName, "description": "the report's title; empty for the negotiation's"},
	})
	o["additionalProperties"] = false
	return o
}

// issuedReportSchema documents an issued report's metadata.
func issuedReportSchema() map[string]any {
	str := stringSchema
	nullableTime := map[string]any{"type": "string", "format": "date-time", "nullable": true}
	return object([]string{"id", "negotiation_id", "title", "format", "sha256", "size", "issued_by", "issued_at"}, map[string]any{
		"id": uuidSchema(), "negotiation_id": uuidSchema(), "title": str(),
		"format": map[string]any{"type": "string", "enum": report.FormatNames()},
		"as_of":  nullableTime, "since": nullableTime, "layout": str(), "audience": str(),
		"handling":     map[string]any{"type": "string", "enum": domain.HandlingMarkings().Strings(), "description": "the highest marking the file carries"},
		"filename":     str(),
		"content_type": str(),
		"size":         map[string]any{"type": "integer", "description": "bytes"},
		"sha256":       map[string]any{"type": "string", "description": "hex SHA-256 of the file; the file's ETag"},
		"issued_by":    str(),
		"issued_at":    dateTimeSchema(),
	})
}
