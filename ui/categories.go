package ui

import (
	"net/http"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/domain"
)

// The taxonomy pages: every category, and one category's demands side by
// side across every negotiation, so that one ceasefire compares with
// another.

// categoryPageData is one category's demands, by negotiation.
type categoryPageData struct {
	Category   domain.Category
	Choices    []option
	Groups     []categoryGroup
	Count      int
	Truncated  bool
	Categories []domain.Category
}

// categoryGroup is one negotiation's demands in the category.
type categoryGroup struct {
	Negotiation *domain.Negotiation
	Rows        []categoryRow
}

// categoryRow is one demand with the names it needs.
type categoryRow struct {
	Demand *domain.Demand
	Topic  string
	Party  string
}

func (srv *server) categoryList(c echo.Context) error {
	v := srv.newView(c, "Categories", crumb{"Negotiations", "/"})
	v.Data = categoryPageData{Categories: domain.Categories}
	return srv.render(c, http.StatusOK, "categories", v)
}

func (srv *server) categoryPage(c echo.Context) error {
	cat, ok := domain.CategoryByKey(c.Param("key"))
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound, "no such category")
	}
	d, err := srv.categoryData(c, cat)
	if err != nil {
		return err
	}
	v := srv.newView(c, cat.Label, crumb{"Negotiations", "/"}, crumb{"Categories", "/categories"})
	v.Data = d
	return srv.render(c, http.StatusOK, "category", v)
}

// categoryData reads the category's demands and what names them in a
// fixed handful of queries: the demands, then their topics, negotiations
// and parties at once.
func (srv *server) categoryData(c echo.Context, cat domain.Category) (categoryPageData, error) {
	ctx := c.Request().Context()
	d := categoryPageData{Category: cat, Categories: domain.Categories}
	for _, k := range domain.Categories {
		d.Choices = append(d.Choices, option{Value: k.Key, Label: k.Label, Selected: k.Key == cat.Key})
	}
	demands, err := srv.listAll(ctx, domain.ListQuery{Kind: domain.KindDemand, Category: cat.Key})
	if err != nil {
		return d, err
	}
	d.Truncated = len(demands) >= maxListed
	ids := map[domain.Kind][]string{}
	for _, r := range demands {
		dm := r.(*domain.Demand)
		ids[domain.KindTopic] = append(ids[domain.KindTopic], dm.TopicID)
		ids[domain.KindNegotiation] = append(ids[domain.KindNegotiation], dm.NegotiationID)
		ids[domain.KindParty] = append(ids[domain.KindParty], dm.PartyID)
	}
	found := map[domain.Kind]map[string]domain.Resource{}
	for _, k := range []domain.Kind{domain.KindTopic, domain.KindNegotiation, domain.KindParty} {
		if found[k], err = srv.getMany(ctx, k, unique(ids[k])); err != nil {
			return d, err
		}
	}
	groups := map[string]*categoryGroup{}
	var order []string
	for _, r := range demands {
		dm := r.(*domain.Demand)
		n, ok := found[domain.KindNegotiation][dm.NegotiationID].(*domain.Negotiation)
		if !ok {
			continue
		}
		g := groups[n.ID]
		if g == nil {
			g = &categoryGroup{Negotiation: n}
			groups[n.ID] = g
			order = append(order, n.ID)
		}
		row := categoryRow{Demand: dm}
		if t, ok := found[domain.KindTopic][dm.TopicID].(*domain.Topic); ok {
			row.Topic = t.Title
		}
		if p, ok := found[domain.KindParty][dm.PartyID].(*domain.Party); ok {
			row.Party = p.Name
		}
		g.Rows = append(g.Rows, row)
		d.Count++
	}
	for _, id := range order {
		g := groups[id]
		sort.SliceStable(g.Rows, func(i, j int) bool {
			a, b := g.Rows[i], g.Rows[j]
			if a.Topic != b.Topic {
				return strings.ToLower(a.Topic) < strings.ToLower(b.Topic)
			}
			return a.Demand.StatedOn < b.Demand.StatedOn
		})
		d.Groups = append(d.Groups, *g)
	}
	return d, nil
}

// unique returns ids without repeats, in first-seen order.
func unique(ids []string) []string {
	seen := map[string]bool{}
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// categoryChoice is where the category select sends a browser without
// JavaScript: on to the page of the category chosen.
func (srv *server) categoryChoice(c echo.Context) error {
	key := c.QueryParam("key")
	if _, ok := domain.CategoryByKey(key); !ok {
		return c.Redirect(http.StatusSeeOther, "/categories")
	}
	return c.Redirect(http.StatusSeeOther, "/categories/"+key)
}
