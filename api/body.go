package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/parley/parley/domain"
)

const (
	mimeJSON       = "application/json"
	mimeMergePatch = "application/merge-patch+json"
)

// readBody checks the Content-Type against accepted (JSON types all) and
// reads at most maxBodyBytes of the body: 415 and 413 problems otherwise. A
// charset other than UTF-8, bytes that are not UTF-8 and a key repeated in
// one object are 400: another reader of the same request (a proxy, a
// firewall) could take such a body for something else than parley does.
func readBody(c echo.Context, accepted ...string) ([]byte, error) {
	req := c.Request()
	ct := req.Header.Get(echo.HeaderContentType)
	mt, params, err := mime.ParseMediaType(ct)
	ok := err == nil
	if ok {
		ok = false
		for _, a := range accepted {
			ok = ok || strings.EqualFold(mt, a)
		}
	}
	if !ok {
		if ct == "" {
			ct = "none"
		}
		return nil, newProblem(http.StatusUnsupportedMediaType,
			fmt.Sprintf("the Content-Type is %s; send %s", strconv.Quote(ct), strings.Join(accepted, " or ")))
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
		return nil, &domain.MalformedError{Detail: fmt.Sprintf("the Content-Type's charset is %s; JSON is read as UTF-8 only, so send charset=utf-8 or none", strconv.Quote(cs))}
	}
	tooLarge := newProblem(http.StatusRequestEntityTooLarge, fmt.Sprintf("the request body exceeds %d bytes", maxBodyBytes))
	if req.ContentLength > maxBodyBytes {
		return nil, tooLarge
	}
	body, err := io.ReadAll(io.LimitReader(req.Body, maxBodyBytes+1))
	if err != nil {
		return nil, &domain.MalformedError{Detail: "the request body could not be read"}
	}
	if len(body) > maxBodyBytes {
		return nil, tooLarge
	}
	if err := domain.CheckJSONText(body, "the request body"); err != nil {
		return nil, err
	}
	return body, nil
}

// readStrict reads a small JSON request of the API's own (login, users)
// into v, a pointer to a struct of string fields. Like the collections'
// bodies, it names every unknown field at once (a 400 error) and refuses
// trailing data. The fields of the wrong type are returned, left empty, for
// the caller to report with its own rules on the others (a 422).
func (h *handlers) readStrict(c echo.Context, v any) (domain.FieldErrors, error) {
	body, err := readBody(c, mimeJSON)
	if err != nil {
		return nil, err
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, &domain.MalformedError{Detail: "the request body must be a JSON object"}
	}
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	if err := dec.Decode(&fields); err != nil {
		return nil, &domain.MalformedError{Detail: "the request body is not valid JSON: " + strings.TrimPrefix(err.Error(), "json: ")}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &domain.MalformedError{Detail: "the request body holds more than one JSON value"}
	}
	dst := reflect.ValueOf(v).Elem()
	index := map[string]int{}
	for i := 0; i < dst.NumField(); i++ {
		name, _, _ := strings.Cut(dst.Type().Field(i).Tag.Get("json"), ",")
		index[name] = i
	}
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	var unknown, wrongType domain.FieldErrors
	for _, name := range names {
		i, ok := index[name]
		if !ok {
			unknown.Add(name, "is not a field of this request")
			continue
		}
		if err := json.Unmarshal(fields[name], dst.Field(i).Addr().Interface()); err != nil {
			wrongType.Add(name, "must be a string")
		}
	}
	if len(unknown) > 0 {
		quoted := make([]string, len(unknown))
		for i, fe := range unknown {
			quoted[i] = strconv.Quote(fe.Field)
		}
		return nil, &domain.MalformedError{Detail: "unknown field " + strings.Join(quoted, ", "), Errors: unknown}
	}
	return wrongType, nil
}

// requireFields adds "is required" for each empty field not already in errs.
func requireFields(errs *domain.FieldErrors, fields map[string]string) {
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if fields[name] == "" && errs.On(name) == "" {
			errs.Add(name, "is required")
		}
	}
}

// parseIfMatch reads an If-Match header: `"3"`, `W/"3"`, `3` or `*`.
// It returns 0 when the header is absent or `*` (any version will do).
func parseIfMatch(c echo.Context) (int, error) {
	v := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	if v == "" || v == "*" {
		return 0, nil
	}
	v = strings.TrimPrefix(v, "W/")
	v = strings.Trim(v, `"`)
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, &domain.MalformedError{
			Detail: `If-Match must be an ETag of this API, such as "3"`,
			Errors: domain.FieldErrors{{Field: "If-Match", Message: `must be an ETag such as "3"`}},
		}
	}
	return n, nil
}

func etag(version int) string { return `"` + strconv.Itoa(version) + `"` }
