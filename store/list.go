package store

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/parley/parley/domain"
)

const (
	// DefaultLimit is a list page's size when the query gives none.
	DefaultLimit = 50
	// MaxLimit is the largest page a list returns.
	MaxLimit = 500
)

// likeEscaper makes a search text match literally inside LIKE … ESCAPE '\'.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// List returns one page of a collection in id order, which is creation
// order as ids are time-ordered UUIDs.
func (s *Store) List(ctx context.Context, q domain.ListQuery) (domain.Page, error) {
	t, err := tableOf(q.Kind)
	if err != nil {
		return domain.Page{}, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	if limit > MaxLimit {
		limit = MaxLimit
	}
	var where []string
	var args []any
	var errs domain.FieldErrors
	fields := make([]string, 0, len(q.Refs))
	for f := range q.Refs {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		v := q.Refs[f]
		if v == "" {
			continue
		}
		cond, ok := t.filters[f]
		if !ok {
			errs.Add(f, "is not a filter of %s", q.Kind)
			continue
		}
		where = append(where, cond)
		args = append(args, v)
	}
	if q.Status != "" {
		if !domain.HasStatus(q.Kind) {
			errs.Add("status", "is not a filter of %s", q.Kind)
		} else {
			where = append(where, "status = ?")
			args = append(args, q.Status)
		}
	}
	if q.Category != "" {
		switch q.Kind {
		case domain.KindTopic:
			where = append(where, "category = ?")
			args = append(args, q.Category)
		case domain.KindDemand:
			where = append(where, "topic_id IN (SELECT id FROM topics WHERE category = ?)")
			args = append(args, q.Category)
		default:
			errs.Add("category", "is not a filter of %s", q.Kind)
		}
	}
	if q.Text != "" {
		where = append(where, `search LIKE ? ESCAPE '\'`)
		args = append(args, "%"+likeEscaper.Replace(strings.ToLower(q.Text))+"%")
	}
	if q.Cursor != "" {
		after, err := domain.DecodeCursor(q.Cursor)
		if err != nil {
			errs = append(errs, err.(*domain.ValidationError).Errors...)
		} else {
			where = append(where, "id > ?")
			args = append(args, after)
		}
	}
	if err := errs.Err(); err != nil {
		return domain.Page{}, err
	}
	sqlText := "SELECT body FROM " + t.name
	if len(where) > 0 {
		sqlText += " WHERE " + strings.Join(where, " AND ")
	}
	sqlText += fmt.Sprintf(" ORDER BY id LIMIT %d", limit+1)
	rows, err := s.r.WithContext(ctx).Raw(sqlText, args...).Rows()
	if err != nil {
		return domain.Page{}, fmt.Errorf("store: list %s: %w", q.Kind, err)
	}
	defer rows.Close()
	page := domain.Page{Items: make([]domain.Resource, 0, limit)}
	for rows.Next() {
		var body []byte
		if err := rows.Scan(&body); err != nil {
			return domain.Page{}, fmt.Errorf("store: list %s: %w", q.Kind, err)
		}
		r, err := decode(q.Kind, body)
		if err != nil {
			return domain.Page{}, err
		}
		page.Items = append(page.Items, r)
	}
	if err := rows.Err(); err != nil {
		return domain.Page{}, fmt.Errorf("store: list %s: %w", q.Kind, err)
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.NextCursor = domain.EncodeCursor(page.Items[limit-1].Base().ID)
	}
	return page, nil
}
