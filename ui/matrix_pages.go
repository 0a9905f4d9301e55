package ui

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/domain"
)

// A conference's matrix is hundreds of columns by a hundred topics: tens
// of thousands of cells, tens of megabytes, half a minute in a browser.
// A page shows the topics that fill about a megabyte, with links
// (?page=N, keeping every other choice in the URL) to the rest and to all
// of them at once. What fills a page is estimated before anything is
// rendered, from what the cells hold, in units of about 100 bytes of
// HTML; the negotiations most are (a few parties) fit on one page and show
// no pager.
const (
	pageWeight      = 10_000
	cellWeight      = 2 // the cell and its one line
	fullCellWeight  = 3 // the stance written out above the items
	demandWeight    = 3
	endorseWeight   = 2
	objectionWeight = 4 // with the start of its grounds
	termCellWeight  = 1 // a value in a term row
)

// allPages is the page value that shows every topic at once.
const allPages = "all"

// rowWeights estimates what each topic's rows weigh in the page, from the
// outline's counts: its cells across the columns, the demands, objections
// and endorsements they hold, and its term rows. (A bloc's position shown
// in its silent members' cells is not counted: a page with many runs a
// little heavier.)
func rowWeights(outline *domain.Matrix, topics []keptTopic, columns int, compact bool) []int {
	base := fullCellWeight
	if compact {
		base = cellWeight
	}
	counts := make(map[string]domain.TopicSummary, len(outline.TopicSummaries))
	for _, s := range outline.TopicSummaries {
		counts[s.TopicID] = s
	}
	termRows := map[string]int{}
	for _, t := range outline.Terms {
		termRows[t.TopicID]++
	}
	weights := make([]int, len(topics))
	for i, t := range topics {
		s := counts[t.Topic.ID]
		weights[i] = base*columns + demandWeight*s.Demands + endorseWeight*s.Endorsements +
			objectionWeight*s.Objections + termCellWeight*columns*termRows[t.Topic.ID]
	}
	return weights
}

// pageStarts splits rows of these weights into pages of about budget
// each, a page holding at least one row, and returns where each starts.
func pageStarts(weights []int, budget int) []int {
	starts := []int{0}
	filled := 0
	for i, w := range weights {
		if filled > 0 && filled+w > budget {
			starts = append(starts, i)
			filled = 0
		}
		filled += w
	}
	return starts
}

// topicPages says which of the filtered topics a matrix page shows and
// links to the others.
type topicPages struct {
	// First and Last bound the shown topics (Last exclusive) among Total.
	First, Last, Total int
	// Number is the page shown (1-based) of Count; 0 when all are shown.
	Number, Count int
	// Prev, Next and All are the links to the neighbouring pages and to
	// every topic at once, Paging back to pages from all; empty where
	// there is none.
	Prev, Next, All, Paging string
	// Bad marks a page value that names no page; the first page shows.
	Bad bool
}

// Paged says whether some topics are on other pages, or all were asked
// for where they would not fit one: either way the pager shows.
func (p topicPages) Paged() bool { return p.Count > 1 }

// Problem words the error of a page value that names no page.
func (p topicPages) Problem() string {
	return fmt.Sprintf("Choose a page from 1 to %d, or all.", p.Count)
}

// ShownFrom is the position (1-based) of the first shown topic.
func (p topicPages) ShownFrom() int { return p.First + 1 }

// pageTopics finds the page that raw names among rows of these weights
// and the links to the others; raw is the URL's page value: empty for the
// first, a number, or "all".
func pageTopics(c echo.Context, weights []int, raw string) topicPages {
	starts := pageStarts(weights, pageWeight)
	p := topicPages{Total: len(weights), Count: len(starts)}
	raw = strings.TrimSpace(raw)
	n := 1
	switch {
	case raw == allPages:
		n = 0
	case raw != "":
		v, err := strconv.Atoi(raw)
		if err != nil || v < 1 || v > p.Count {
			p.Bad = true
		} else {
			n = v
		}
	}
	p.Number = n
	switch n {
	case 0:
		p.Last = p.Total
	case p.Count:
		p.First, p.Last = starts[n-1], p.Total
	default:
		p.First, p.Last = starts[n-1], starts[n]
	}
	if p.Count == 1 {
		return p
	}
	if n > 1 {
		p.Prev = pageLink(c, strconv.Itoa(n-1))
	}
	if n != 0 && n < p.Count {
		p.Next = pageLink(c, strconv.Itoa(n+1))
	}
	if n != 0 {
		p.All = pageLink(c, allPages)
	} else {
		p.Paging = pageLink(c, "1")
	}
	return p
}

// pageLink is the request's URL with page set to value, every other
// choice kept; the first page needs no page value.
func pageLink(c echo.Context, value string) string {
	keep := url.Values{}
	for k, v := range c.QueryParams() {
		keep[k] = v
	}
	if value == "1" {
		keep.Del("page")
	} else {
		keep.Set("page", value)
	}
	if len(keep) == 0 {
		return c.Request().URL.Path + "#matrix"
	}
	return c.Request().URL.Path + "?" + keep.Encode() + "#matrix"
}
