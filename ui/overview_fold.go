package ui

import (
	"net/url"

	"github.com/labstack/echo/v4"
)

// A conference's overview lists hundreds of delegations per round and
// thousands of demands: each round and topic shows its first few, and a
// link (?show=ID, keeping the moment asked for) shows one of them whole,
// so the page stays small without JavaScript.
const (
	delegationsShown = 24
	demandsShown     = 12
	unsourcedShown   = 50
)

// folded says how much of a list the overview left out and where the
// whole list is.
type folded struct {
	More    int
	ShowAll string
}

// fold keeps the first n items unless show names this list's id.
func fold[T any](c echo.Context, items []T, id, anchor string, n int, show string) (folded, []T) {
	if show == id || len(items) <= n {
		return folded{}, items
	}
	keep := url.Values{}
	for k, v := range c.QueryParams() {
		keep[k] = v
	}
	keep.Set("show", id)
	return folded{More: len(items) - n, ShowAll: c.Request().URL.Path + "?" + keep.Encode() + "#" + anchor}, items[:n]
}
