package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/parley/parley/domain"
)

const (
	mimeJSON       = "application/json"
	mimeMergePatch = "application/merge-patch+json"
)

// readBody checks the Content-Type against accepted and reads at most
// maxBodyBytes of the body: 415 and 413 problems otherwise.
func readBody(c echo.Context, accepted ...string) ([]byte, error) {
	req := c.Request()
	ct := req.Header.Get(echo.HeaderContentType)
	mt, _, err := mime.ParseMediaType(ct)
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
	return body, nil
}

// readStrict reads a small JSON request of the API's own (login, users)
// into v, refusing unknown fields and trailing data.
func (h *handlers) readStrict(c echo.Context, v any) error {
	body, err := readBody(c, mimeJSON)
	if err != nil {
		return err
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return &domain.MalformedError{Detail: "the request body must be a JSON object"}
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return &domain.ValidationError{Errors: domain.FieldErrors{{Field: te.Field, Message: "has the wrong type"}}}
		}
		return &domain.MalformedError{Detail: "the request body is not valid JSON: " + strings.TrimPrefix(err.Error(), "json: ")}
	}
	if dec.More() {
		return &domain.MalformedError{Detail: "the request body holds more than one JSON value"}
	}
	return nil
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
