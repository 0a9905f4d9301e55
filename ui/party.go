package ui

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/domain"
)

// A party's page: who it is, where it negotiates and in which roles, the
// blocs it belongs to, for a bloc its members, and what it has demanded
// across negotiations. A bloc of 134 members pages them 50 at a time with
// a search, and a party's demands fold after 20, so that the G77's page
// stays small.

const (
	membersPerPage = 50
	partyDemands   = 20
)

// partyPageData is one party's page.
type partyPageData struct {
	Party  *domain.Party
	Seats  []seat
	Blocs  []domain.BlocMembership
	Member memberList
	// Demands are the party's demands, newest first; DemandsFold says how
	// many the page left out and where they all are.
	Demands     []partyDemand
	DemandCount int
	DemandsFold folded
}

// memberList is a page of a bloc's members: the ones matching Query, 50
// to a page. Searchable is true when the bloc has more than a page.
type memberList struct {
	All        int
	Matching   int
	Query      string
	Searchable bool
	Page, Of   int
	Members    []memberView
	Prev, Next string
}

// partyDemand is a demand on the party's page with its negotiation and
// topic.
type partyDemand struct {
	*domain.Demand
	Negotiation string
	Topic       string
}

func (srv *server) partyPage(c echo.Context) error {
	id := c.Param("id")
	if !looksLikeID(id) {
		return &domain.NotFoundError{Kind: domain.KindParty, ID: id}
	}
	r, err := srv.store.Get(c.Request().Context(), domain.KindParty, id)
	if err != nil {
		return err
	}
	p := r.(*domain.Party)
	d, err := srv.partyPageData(c, p)
	if err != nil {
		return err
	}
	v := srv.newView(c, p.Name, crumb{"Negotiations", "/"}, crumb{"Parties", "/parties"})
	v.Data = d
	return srv.render(c, http.StatusOK, "party", v)
}

// partyPageData reads what the page shows in a fixed handful of queries:
// every party (for its blocs and its members' names), its negotiations,
// its demands and their topics.
func (srv *server) partyPageData(c echo.Context, p *domain.Party) (partyPageData, error) {
	ctx := c.Request().Context()
	d := partyPageData{Party: p}
	listed, err := srv.listAll(ctx, domain.ListQuery{Kind: domain.KindParty})
	if err != nil {
		return d, err
	}
	parties := make([]*domain.Party, len(listed))
	for i, r := range listed {
		parties[i] = r.(*domain.Party)
	}
	d.Blocs = domain.MembershipsOf(p.ID, parties)
	d.Member = pageMembers(memberViews(p, parties), c.QueryParam("member_q"), c.QueryParam("member_page"), c.Request().URL)

	negotiations, err := srv.listAll(ctx, domain.ListQuery{Kind: domain.KindNegotiation, Refs: map[string]string{"party_id": p.ID}})
	if err != nil {
		return d, err
	}
	titles := map[string]string{}
	for _, r := range negotiations {
		n := r.(*domain.Negotiation)
		titles[n.ID] = n.Title
		d.Seats = append(d.Seats, seat{NegotiationID: n.ID, Title: n.Title, Role: n.RolesText(p.ID)})
	}
	sort.SliceStable(d.Seats, func(i, j int) bool { return strings.ToLower(d.Seats[i].Title) < strings.ToLower(d.Seats[j].Title) })

	demands, err := srv.listAll(ctx, domain.ListQuery{Kind: domain.KindDemand, Refs: map[string]string{"party_id": p.ID}})
	if err != nil {
		return d, err
	}
	var topicIDs []string
	for _, r := range demands {
		topicIDs = append(topicIDs, r.(*domain.Demand).TopicID)
	}
	topics, err := srv.getMany(ctx, domain.KindTopic, unique(topicIDs))
	if err != nil {
		return d, err
	}
	for _, r := range demands {
		dm := r.(*domain.Demand)
		pd := partyDemand{Demand: dm, Negotiation: titles[dm.NegotiationID]}
		if t, ok := topics[dm.TopicID].(*domain.Topic); ok {
			pd.Topic = t.Title
		}
		d.Demands = append(d.Demands, pd)
	}
	sort.SliceStable(d.Demands, func(i, j int) bool { return d.Demands[i].StatedOn > d.Demands[j].StatedOn })
	d.DemandCount = len(d.Demands)
	d.DemandsFold, d.Demands = fold(c, d.Demands, "demands", "demands-h", partyDemands, c.QueryParam("show"))
	return d, nil
}

// pageMembers keeps the members whose name holds query (ignoring case)
// and cuts the page asked for; a page out of range is the nearest one.
func pageMembers(all []memberView, query, page string, at *url.URL) memberList {
	query = strings.TrimSpace(query)
	if len([]rune(query)) > 200 {
		query = string([]rune(query)[:200])
	}
	l := memberList{All: len(all), Query: query, Searchable: len(all) > membersPerPage}
	matching := all
	if query != "" {
		q := strings.ToLower(query)
		matching = nil
		for _, m := range all {
			if strings.Contains(strings.ToLower(m.Name), q) {
				matching = append(matching, m)
			}
		}
	}
	l.Matching = len(matching)
	l.Of = max(1, (len(matching)+membersPerPage-1)/membersPerPage)
	l.Page, _ = strconv.Atoi(page)
	l.Page = min(max(l.Page, 1), l.Of)
	from := (l.Page - 1) * membersPerPage
	l.Members = matching[from:min(from+membersPerPage, len(matching))]
	link := func(n int) string {
		q := at.Query()
		q.Set("member_page", strconv.Itoa(n))
		return at.Path + "?" + q.Encode() + "#members-h"
	}
	if l.Page > 1 {
		l.Prev = link(l.Page - 1)
	}
	if l.Page < l.Of {
		l.Next = link(l.Page + 1)
	}
	return l
}
