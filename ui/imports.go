package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/positions"
)

// The import page checks an uploaded spreadsheet (a dry run), shows what
// it would create and every bad cell, and imports it once the analyst
// confirms by sending the same file again: the confirmation carries the
// checked file's SHA-256, so what is imported is exactly what was
// previewed, and no server keeps uploads between requests (an instance
// behind a load balancer may not see the next one).

const (
	importField = "file"
	digestField = "checked"
	// previewRows bounds the rows the preview lists; the counts cover all.
	previewRows = 200
	// uploadMemory is how much of an upload is held in memory; the rest
	// goes to a temporary file until the request ends.
	uploadMemory = 8 << 20
)

// importData is the import page at each of its steps.
type importData struct {
	Negotiation *domain.Negotiation
	MaxMiB      int
	// Checked is set once a file has been checked: its name and digest,
	// what it would create (or did) and its bad cells.
	Checked  bool
	Imported bool
	FileName string
	Digest   string
	Problem  string
	Result   *positions.Result
	Shown    []positions.Item
	Hidden   int
	Columns  struct{ Demands, Objections, Endorsements string }
}

func (srv *server) importView(c echo.Context, n *domain.Negotiation, d *importData) *view {
	d.Negotiation, d.MaxMiB = n, positions.MaxFileBytes>>20
	d.Columns.Demands = strings.Join(positions.Columns(positions.SheetDemands, []string{"KEY"}), ", ")
	d.Columns.Objections = strings.Join(positions.Columns(positions.SheetObjections, nil), ", ")
	d.Columns.Endorsements = strings.Join(positions.Columns(positions.SheetEndorsements, nil), ", ")
	if d.Result != nil {
		d.Shown = d.Result.Items
		if len(d.Shown) > previewRows {
			d.Shown, d.Hidden = d.Shown[:previewRows], len(d.Shown)-previewRows
		}
	}
	v := srv.newView(c, "Import positions: "+n.Title, crumb{"Negotiations", "/"}, crumb{n.Title, "/negotiations/" + n.ID})
	v.Data = d
	return v
}

func (srv *server) importPage(c echo.Context) error {
	snap, err := srv.snapshot(c, time.Time{})
	if err != nil {
		return err
	}
	return srv.render(c, http.StatusOK, "import", srv.importView(c, snap.Negotiation, &importData{}))
}

// importTemplate sends the spreadsheet to fill in, CSV or XLSX.
func (srv *server) importTemplate(c echo.Context) error {
	snap, err := srv.snapshot(c, time.Time{})
	if err != nil {
		return err
	}
	format := c.QueryParam("format")
	if format != "csv" && format != "xlsx" {
		return echo.NewHTTPError(http.StatusNotFound, "There is a template in CSV and in XLSX only.")
	}
	name, media, data, err := positions.Template(snap, format)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	return c.Blob(http.StatusOK, media, data)
}

// importCheck runs the uploaded file as a dry run and shows the preview.
func (srv *server) importCheck(c echo.Context) error {
	return srv.runImport(c, true)
}

// importConfirm imports the uploaded file, if it is the one checked.
func (srv *server) importConfirm(c echo.Context) error {
	return srv.runImport(c, false)
}

func (srv *server) runImport(c echo.Context, dryRun bool) error {
	snap, err := srv.snapshot(c, time.Time{})
	if err != nil {
		return err
	}
	n := snap.Negotiation
	d := &importData{Checked: true}
	name, data, err := uploadedFile(c)
	if err != nil {
		d.Checked, d.Problem = false, err.Error()
		return srv.render(c, http.StatusUnprocessableEntity, "import", srv.importView(c, n, d))
	}
	sum := sha256.Sum256(data)
	d.FileName, d.Digest = name, hex.EncodeToString(sum[:])
	if !dryRun && c.Request().PostForm.Get(digestField) != d.Digest {
		// Not the file checked: check this one instead of importing it.
		dryRun = true
		d.Problem = "This is not the file you checked, so nothing was imported. Here is what this file would create; import it below if it is right."
	}
	media := positions.MediaTypeOf(name, data)
	if media == "" {
		d.Checked, d.Problem = false, name+" is neither a .csv nor an .xlsx file."
		return srv.render(c, http.StatusUnsupportedMediaType, "import", srv.importView(c, n, d))
	}
	status := http.StatusOK
	wb, err := positions.Read(data, media)
	if err == nil {
		d.Result, err = positions.Import(c.Request().Context(), srv.store, actor(c), n.ID, wb, dryRun, srv.opts.Now())
	}
	var fe *positions.FileError
	var cols *positions.ColumnsError
	switch {
	case errors.As(err, &fe):
		d.Checked, d.Problem, status = false, fe.Detail, http.StatusUnprocessableEntity
	case errors.As(err, &cols):
		d.Result, status = &positions.Result{DryRun: true, Errors: cols.Errors}, http.StatusUnprocessableEntity
	case err != nil:
		return err
	case len(d.Result.Errors) > 0:
		status = http.StatusUnprocessableEntity
	case !dryRun:
		d.Imported = true
	}
	return srv.render(c, status, "import", srv.importView(c, n, d))
}

// formProblem is a problem with what the analyst sent, worded as the page
// shows it: a sentence for people.
type formProblem string

func (p formProblem) Error() string { return string(p) }

// uploadedFile reads the form's file, at most the import's limit.
func uploadedFile(c echo.Context) (string, []byte, error) {
	fh, err := c.FormFile(importField)
	if err != nil {
		return "", nil, formProblem("Choose a CSV or XLSX file to check.")
	}
	if fh.Size > positions.MaxFileBytes {
		return "", nil, formProblem(fmt.Sprintf("The file is larger than the import limit of %d MiB; split it.", positions.MaxFileBytes>>20))
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, formProblem("The file could not be read; upload it again.")
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, positions.MaxFileBytes+1))
	if err != nil || len(data) > positions.MaxFileBytes {
		return "", nil, formProblem(fmt.Sprintf("The file is larger than the import limit of %d MiB; split it.", positions.MaxFileBytes>>20))
	}
	return fh.Filename, data, nil
}

// requireUploadCSRF is requireCSRF for a form that uploads a file
// (multipart/form-data), with room for the largest spreadsheet an import
// reads.
func (srv *server) requireUploadCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		r.Body = http.MaxBytesReader(c.Response(), r.Body, positions.MaxFileBytes+maxFormBytes)
		if err := r.ParseMultipartForm(uploadMemory); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return echo.NewHTTPError(http.StatusRequestEntityTooLarge, fmt.Sprintf("The file is larger than the import limit of %d MiB; split it.", positions.MaxFileBytes>>20))
			}
			return echo.NewHTTPError(http.StatusBadRequest, "The upload could not be read.")
		}
		token, _ := c.Get(ctxSession).(string)
		if token == "" || !sameToken(r.PostForm.Get(csrfField), csrfToken(token)) {
			return errBadCSRF
		}
		return next(c)
	}
}
