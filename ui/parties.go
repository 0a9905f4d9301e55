package ui

import (
	"context"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/domain"
)

// The list of parties, which mixes every negotiation's: narrowed to one
// negotiation, sorted by name (or by when they were added), each party
// with the negotiations it takes part in and its role there.

// partyListData is the party list page.
type partyListData struct {
	Query       string
	Negotiation string // the id the list is narrowed to, "" for all
	Sort        string // "name" or "added"
	Error       string
	Choices     []option // the negotiation select
	Sorts       []option
	Rows        []partyRow
	// Total is how many parties there are before narrowing to a negotiation.
	Total int
}

// partyRow is one party with the negotiations it takes part in.
type partyRow struct {
	*domain.Party
	Seats []seat
}

// seat is a party's place in one negotiation.
type seat struct {
	NegotiationID string
	Title         string
	Role          string
}

// maxListed bounds the parties and negotiations the page reads.
const maxListed = 5000

func (srv *server) partyListData(c echo.Context) (partyListData, error) {
	ctx := c.Request().Context()
	d := partyListData{Query: strings.TrimSpace(c.QueryParam("q")), Negotiation: strings.TrimSpace(c.QueryParam("negotiation")), Sort: c.QueryParam("sort")}
	if len([]rune(d.Query)) > 200 {
		d.Query = string([]rune(d.Query)[:200])
	}
	if d.Sort != "added" {
		d.Sort = "name"
	}
	parties, err := srv.listAll(ctx, domain.ListQuery{Kind: domain.KindParty, Text: d.Query})
	if err != nil {
		return d, err
	}
	negotiations, err := srv.listAll(ctx, domain.ListQuery{Kind: domain.KindNegotiation})
	if err != nil {
		return d, err
	}
	seats := map[string][]seat{}
	known := false
	d.Choices = []option{{Value: "", Label: "All negotiations", Selected: d.Negotiation == ""}}
	for _, r := range negotiations {
		n := r.(*domain.Negotiation)
		d.Choices = append(d.Choices, option{Value: n.ID, Label: n.Title, Selected: n.ID == d.Negotiation})
		known = known || n.ID == d.Negotiation
		for _, p := range n.Participants {
			seats[p.PartyID] = append(seats[p.PartyID], seat{NegotiationID: n.ID, Title: n.Title, Role: string(p.Role)})
		}
	}
	if d.Negotiation != "" && !known {
		d.Error = "Choose one of the listed negotiations."
		d.Choices = append(d.Choices, option{Value: d.Negotiation, Label: "no such negotiation", Selected: true})
	}
	d.Total = len(parties)
	for _, r := range parties {
		p := r.(*domain.Party)
		row := partyRow{Party: p, Seats: seats[p.ID]}
		if d.Negotiation == "" || d.Error != "" || takesPart(row.Seats, d.Negotiation) {
			d.Rows = append(d.Rows, row)
		}
	}
	if d.Sort == "name" {
		sort.SliceStable(d.Rows, func(i, j int) bool { return strings.ToLower(d.Rows[i].Name) < strings.ToLower(d.Rows[j].Name) })
	}
	d.Sorts = []option{{Value: "name", Label: "Name, A to Z", Selected: d.Sort == "name"}, {Value: "added", Label: "When added, oldest first", Selected: d.Sort == "added"}}
	return d, nil
}

func takesPart(seats []seat, negotiationID string) bool {
	for _, s := range seats {
		if s.NegotiationID == negotiationID {
			return true
		}
	}
	return false
}

// listAll reads a collection page by page, oldest first, up to maxListed.
func (srv *server) listAll(ctx context.Context, q domain.ListQuery) ([]domain.Resource, error) {
	q.Limit = 500
	var out []domain.Resource
	for len(out) < maxListed {
		page, err := srv.store.List(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	return out, nil
}
