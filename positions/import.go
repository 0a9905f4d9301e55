package positions

import (
	"context"
	"errors"
	"time"

	"github.com/parley/parley/domain"
)

// Result is what an import created, or on a dry run would create, and
// every bad cell. Errors is never empty when nothing was written for a
// reason in the file.
type Result struct {
	DryRun  bool           `json:"dry_run"`
	Created map[string]int `json:"created"`
	Items   []Item         `json:"items"`
	Errors  []CellError    `json:"errors"`
}

// Import reads wb against the negotiation as it stands and, unless dryRun
// or a cell is bad, creates every row's resource in one write by actor:
// all rows or none. A bad file's columns are a *ColumnsError, a
// negotiation that does not exist a *domain.NotFoundError.
func Import(ctx context.Context, st domain.Store, actor, negotiationID string, wb *Workbook, dryRun bool, now time.Time) (*Result, error) {
	snap, err := st.Snapshot(ctx, negotiationID, domain.Moment{})
	if err != nil {
		return nil, err
	}
	items, errs, err := plan(wb, snap, now)
	if err != nil {
		return nil, err
	}
	res := &Result{DryRun: dryRun, Created: map[string]int{}, Errors: errs}
	if res.Errors == nil {
		res.Errors = []CellError{}
	}
	if len(errs) == 0 && !dryRun {
		res.Errors, err = write(ctx, st, actor, items)
		if err != nil {
			return nil, err
		}
	}
	res.Items = make([]Item, 0, len(items))
	for _, it := range items {
		if dryRun || len(res.Errors) > 0 {
			it.ID = ""
		}
		res.Items = append(res.Items, *it)
		res.Created[string(it.Kind)]++
	}
	if len(res.Errors) > 0 {
		res.Created = map[string]int{}
	}
	return res, nil
}

// write creates every item in one batch and fills in its id, revision
// and effective time; the problems the store finds are named by row.
func write(ctx context.Context, st domain.Store, actor string, items []*Item) ([]CellError, error) {
	rs := make([]domain.Resource, len(items))
	whens := make([]domain.Dating, len(items))
	for i, it := range items {
		rs[i], whens[i] = it.resource, it.dating
	}
	err := st.CreateMany(ctx, actor, rs, whens)
	var batch *domain.BatchError
	if errors.As(err, &batch) {
		return batchCells(batch, items), nil
	}
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		m := it.resource.Base()
		it.ID, it.Revision, it.EffectiveAt = m.ID, 1, m.EffectiveAt
	}
	return []CellError{}, nil
}

// batchCells names each problem the store found by its row and column.
func batchCells(batch *domain.BatchError, items []*Item) []CellError {
	var out []CellError
	for _, it := range batch.Items {
		item := items[it.Index]
		var inv *domain.ValidationError
		var conf *domain.ConflictError
		switch {
		case errors.As(it.Err, &inv):
			for _, fe := range inv.Errors {
				out = append(out, CellError{Sheet: item.Sheet, Row: item.Row, Column: columnOf(fe.Field), Message: fe.Message})
			}
		case errors.As(it.Err, &conf):
			out = append(out, CellError{Sheet: item.Sheet, Row: item.Row, Column: columnOf(conf.Field), Message: conf.Detail})
		default:
			out = append(out, CellError{Sheet: item.Sheet, Row: item.Row, Message: it.Err.Error()})
		}
	}
	return out
}
