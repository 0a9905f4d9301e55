package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/positions"
)

// registerImport adds the import of positions from a spreadsheet and the
// template to fill in for it.
func (h *handlers) registerImport(g *echo.Group) {
	fileSchema := map[string]any{"type": "string", "format": "binary"}
	h.add(g, route{http.MethodPost, "/negotiations/:id/import", domain.RoleEditor, h.importPositions, operation{
		ID: "importPositions", Tag: "views", Summary: "Import demands, objections and endorsements from a CSV or XLSX spreadsheet: all rows or none",
		Description: importDescription,
		Query: []parameter{{Name: "dry_run", Description: "true: answer what would be created and every bad cell, and write nothing",
			Schema: map[string]any{"type": "boolean"}}},
		Request: map[string]any{positions.MediaCSV: stringSchema(), positions.MediaXLSX: fileSchema},
		Success: http.StatusCreated, Response: jsonBody(importResultSchema()),
		Errors: []int{400, 404, 413, 415, 422},
	}})
	h.add(g, route{http.MethodGet, "/negotiations/:id/import-template", domain.RoleViewer, h.importTemplate, operation{
		ID: "getImportTemplate", Tag: "views", Summary: "The spreadsheet to fill in for an import, with the negotiation's parties, topics and rounds as choices",
		Query: []parameter{{Name: "format", Description: "csv (the demands' header row) or xlsx (three sheets with drop-down lists)", Required: true,
			Schema: map[string]any{"type": "string", "enum": []string{"csv", "xlsx"}}}},
		Success: http.StatusOK, Response: map[string]any{positions.MediaCSV: stringSchema(), positions.MediaXLSX: fileSchema},
		Headers: []string{"Content-Disposition"}, Errors: []int{404, 422},
	}})
}

// importDescription documents the import in the OpenAPI document.
var importDescription = "The body is a CSV file (text/csv, UTF-8, one sheet of demands) or an XLSX workbook with the sheets demands and, optionally, objections and endorsements. " +
	"Headers are matched in any case and order. demands: " + strings.Join(positions.Columns(positions.SheetDemands, []string{"KEY"}), ", ") +
	"; objections: " + strings.Join(positions.Columns(positions.SheetObjections, nil), ", ") +
	"; endorsements: " + strings.Join(positions.Columns(positions.SheetEndorsements, nil), ", ") + ". " +
	"Parties are matched by name, short name or alias, topics and rounds by title, demands by title (or PARTY: TITLE where titles repeat), all case-insensitively, " +
	"among the negotiation's own and, for demands, the file's; an unknown name is a bad cell, never created. Cells are data: a formula is never evaluated. " +
	"Every bad cell is named as {sheet, row, column, message}, row being the spreadsheet's row number (the header is row 1). " +
	"With dry_run=true the answer (200) lists what would be created and every bad cell; otherwise every row is created, each with its create revision " +
	"taking effect on effective_on (else stated_on), in one transaction (201), or, if any cell is bad, nothing is (422). " +
	fmt.Sprintf("A file over %d bytes (%d MiB) is a 413; missing, unknown or repeated columns a 422 naming them; a body neither CSV nor XLSX a 415.", positions.MaxFileBytes, positions.MaxFileBytes>>20)

func importResultSchema() map[string]any {
	cell := map[string]any{"type": "object", "properties": map[string]any{
		"sheet": stringSchema(), "row": map[string]any{"type": "integer"}, "column": stringSchema(), "message": stringSchema(),
	}}
	item := map[string]any{"type": "object", "properties": map[string]any{
		"sheet": stringSchema(), "row": map[string]any{"type": "integer"}, "kind": stringSchema(), "id": uuidSchema(),
		"party": stringSchema(), "topic": stringSchema(), "demand": stringSchema(), "title": stringSchema(), "stated_on": stringSchema(),
		"round": stringSchema(), "handling": stringSchema(),
		"revision": map[string]any{"type": "integer"}, "effective_at": map[string]any{"type": "string", "format": "date-time"},
	}}
	return map[string]any{"type": "object", "properties": map[string]any{
		"dry_run": map[string]any{"type": "boolean"},
		"created": map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "integer"}},
		"items":   arrayOf(item), "errors": arrayOf(cell),
	}}
}

// cellProblem is the problem of an import refused for its cells: errors
// name a sheet, row and column rather than a field.
type cellProblem struct {
	Type     string                `json:"type"`
	Title    string                `json:"title"`
	Status   int                   `json:"status"`
	Detail   string                `json:"detail"`
	Instance string                `json:"instance"`
	Errors   []positions.CellError `json:"errors"`
}

func writeCellProblem(c echo.Context, detail string, errs []positions.CellError) error {
	p := newProblem(http.StatusUnprocessableEntity, detail)
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	return c.JSON(p.Status, cellProblem{Type: p.Type, Title: p.Title, Status: p.Status, Detail: detail,
		Instance: c.Request().URL.Path, Errors: errs})
}

// ImportMediaType says which spreadsheet a Content-Type names, or answers
// the 415 naming the two that are read.
func ImportMediaType(contentType string) (string, error) {
	mt, _, err := mime.ParseMediaType(contentType)
	switch {
	case err == nil && (strings.EqualFold(mt, positions.MediaCSV) || strings.EqualFold(mt, "application/csv")):
		return positions.MediaCSV, nil
	case err == nil && strings.EqualFold(mt, positions.MediaXLSX):
		return positions.MediaXLSX, nil
	}
	if contentType == "" {
		contentType = "none"
	}
	return "", newProblem(http.StatusUnsupportedMediaType,
		fmt.Sprintf("the Content-Type is %s; send %s (CSV) or %s (XLSX)", strconv.Quote(contentType), positions.MediaCSV, positions.MediaXLSX))
}

// FileTooLarge is the 413 of a spreadsheet over the import's limit.
func FileTooLarge() error {
	return newProblem(http.StatusRequestEntityTooLarge,
		fmt.Sprintf("the file exceeds the import limit of %d MiB (%d bytes); split it", positions.MaxFileBytes>>20, positions.MaxFileBytes))
}

func (h *handlers) importPositions(c echo.Context) error {
	id, err := negotiationID(c)
	if err != nil {
		return err
	}
	dryRun, err := boolParam(c, "dry_run")
	if err != nil {
		return err
	}
	media, err := ImportMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if err != nil {
		return err
	}
	req := c.Request()
	if req.ContentLength > positions.MaxFileBytes {
		return FileTooLarge()
	}
	data, err := io.ReadAll(io.LimitReader(req.Body, positions.MaxFileBytes+1))
	if err != nil {
		return &domain.MalformedError{Detail: "the request body could not be read"}
	}
	if len(data) > positions.MaxFileBytes {
		return FileTooLarge()
	}
	wb, err := positions.Read(data, media)
	if err != nil {
		return importError(err)
	}
	res, err := positions.Import(req.Context(), h.store, actor(c), id, wb, dryRun, h.now())
	var cols *positions.ColumnsError
	if errors.As(err, &cols) {
		return writeCellProblem(c, "the file's columns are not the import's: "+columnsDetail(cols), cols.Errors)
	}
	if err != nil {
		return err
	}
	switch {
	case dryRun:
		return c.JSON(http.StatusOK, res)
	case len(res.Errors) > 0:
		return writeCellProblem(c, fmt.Sprintf("nothing was imported: %d bad cell(s)", len(res.Errors)), res.Errors)
	}
	return c.JSON(http.StatusCreated, res)
}

// importError answers a file that cannot be read as the spreadsheet it
// says it is.
func importError(err error) error {
	var fe *positions.FileError
	if errors.As(err, &fe) {
		return &domain.MalformedError{Detail: fe.Detail}
	}
	return err
}

// columnsDetail names the columns at fault, in one line.
func columnsDetail(e *positions.ColumnsError) string {
	var missing, other []string
	for _, ce := range e.Errors {
		if strings.Contains(ce.Message, "missing") {
			missing = append(missing, ce.Sheet+"."+ce.Column)
		} else {
			other = append(other, fmt.Sprintf("%s.%s %s", ce.Sheet, ce.Column, ce.Message))
		}
	}
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, "missing required column(s) "+strings.Join(missing, ", "))
	}
	return strings.Join(append(parts, other...), "; ")
}

// boolParam reads an optional true/false query parameter.
func boolParam(c echo.Context, name string) (bool, error) {
	v := c.QueryParam(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, domain.FieldErrors{{Field: name, Message: "must be true or false"}}.Err()
	}
	return b, nil
}

func (h *handlers) importTemplate(c echo.Context) error {
	id, err := negotiationID(c)
	if err != nil {
		return err
	}
	format := c.QueryParam("format")
	if format != "csv" && format != "xlsx" {
		return domain.FieldErrors{{Field: "format", Message: "must be csv or xlsx"}}.Err()
	}
	snap, err := h.store.Snapshot(c.Request().Context(), id, domain.Moment{})
	if err != nil {
		return err
	}
	name, media, data, err := positions.Template(snap, format)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	return c.Blob(http.StatusOK, media, data)
}
