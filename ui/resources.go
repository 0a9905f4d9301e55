package ui

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/parley/parley/domain"
)

// looksLikeID keeps obviously malformed ids away from the store.
func looksLikeID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}

// labelOf is how a resource is named on pages, in titles and messages.
func (srv *server) labelOf(ctx context.Context, r domain.Resource) string {
	switch x := r.(type) {
	case *domain.Party:
		return x.Name
	case *domain.Negotiation:
		return x.Title
	case *domain.Round:
		return x.Title
	case *domain.Topic:
		return x.Title
	case *domain.Demand:
		return x.Title
	case *domain.Delegation:
		who := srv.partyName(ctx, x.PartyID)
		if x.HeadName != "" {
			return who + " delegation led by " + x.HeadName
		}
		return who + " delegation"
	case *domain.Objection:
		return srv.partyName(ctx, x.PartyID) + " objection: " + shortText(x.Grounds, 60)
	case *domain.Endorsement:
		label := srv.partyName(ctx, x.PartyID) + " endorsement"
		if d, err := srv.store.Get(ctx, domain.KindDemand, x.DemandID); err == nil {
			label += " of “" + d.(*domain.Demand).Title + "”"
		}
		return label
	}
	return r.Kind().Singular()
}

func (srv *server) partyName(ctx context.Context, id string) string {
	if p, err := srv.store.Get(ctx, domain.KindParty, id); err == nil {
		return p.(*domain.Party).Name
	}
	return "Unknown party"
}

// negotiationOf finds the negotiation a resource belongs to, "" for parties.
func (srv *server) negotiationOf(ctx context.Context, r domain.Resource) (string, error) {
	if id := r.Negotiation(); id != "" {
		return id, nil
	}
	var (
		parent domain.Resource
		err    error
	)
	switch x := r.(type) {
	case *domain.Delegation:
		parent, err = srv.store.Get(ctx, domain.KindRound, x.RoundID)
	case *domain.Objection:
		parent, err = srv.store.Get(ctx, domain.KindDemand, x.DemandID)
	case *domain.Endorsement:
		parent, err = srv.store.Get(ctx, domain.KindDemand, x.DemandID)
	default:
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return parent.Negotiation(), nil
}

// homeOf is the page where a resource is shown: where a form returns to.
func (srv *server) homeOf(ctx context.Context, r domain.Resource) (string, error) {
	id := r.Base().ID
	switch x := r.(type) {
	case *domain.Party:
		return "/parties#party-" + id, nil
	case *domain.Negotiation:
		return "/negotiations/" + id, nil
	case *domain.Demand:
		return "/demands/" + id, nil
	case *domain.Objection:
		return "/demands/" + x.DemandID + "#objection-" + id, nil
	case *domain.Endorsement:
		return "/demands/" + x.DemandID + "#endorsement-" + id, nil
	}
	neg, err := srv.negotiationOf(ctx, r)
	if err != nil {
		return "", err
	}
	return "/negotiations/" + neg + "#" + r.Kind().Singular() + "-" + id, nil
}

// afterDelete is where to go once a resource is gone: the page that listed it.
func (srv *server) afterDelete(ctx context.Context, r domain.Resource) (string, error) {
	switch x := r.(type) {
	case *domain.Party:
		return "/parties", nil
	case *domain.Negotiation:
		return "/", nil
	case *domain.Objection:
		return "/demands/" + x.DemandID, nil
	case *domain.Endorsement:
		return "/demands/" + x.DemandID, nil
	}
	neg, err := srv.negotiationOf(ctx, r)
	if err != nil {
		return "", err
	}
	return "/negotiations/" + neg, nil
}

// crumbsFor is the way back from a page about r: the negotiation and, for
// objections and endorsements, the demand.
func (srv *server) crumbsFor(ctx context.Context, r domain.Resource) ([]crumb, error) {
	crumbs := []crumb{{"Negotiations", "/"}}
	if r.Kind() == domain.KindParty {
		return append(crumbs, crumb{"Parties", "/parties"}), nil
	}
	negID, err := srv.negotiationOf(ctx, r)
	var nf *domain.NotFoundError
	if err != nil && !errors.As(err, &nf) {
		return nil, err
	}
	if negID != "" && r.Kind() != domain.KindNegotiation {
		if n, err := srv.store.Get(ctx, domain.KindNegotiation, negID); err == nil {
			crumbs = append(crumbs, crumb{n.(*domain.Negotiation).Title, "/negotiations/" + negID})
		}
	}
	var demandID string
	switch x := r.(type) {
	case *domain.Objection:
		demandID = x.DemandID
	case *domain.Endorsement:
		demandID = x.DemandID
	}
	if demandID != "" {
		if d, err := srv.store.Get(ctx, domain.KindDemand, demandID); err == nil {
			crumbs = append(crumbs, crumb{d.(*domain.Demand).Title, "/demands/" + demandID})
		}
	}
	return crumbs, nil
}
