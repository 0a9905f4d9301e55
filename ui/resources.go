package ui

import (
	"context"
	"errors"
	"strings"

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
	return labelFrom(r, func(id string) string { return srv.partyName(ctx, id) }, func(id string) (string, bool) {
		if d, err := srv.store.Get(ctx, domain.KindDemand, id); err == nil {
			return d.(*domain.Demand).Title, true
		}
		return "", false
	})
}

// labelFrom names a resource, looking up the parties and demands that
// delegations, objections and endorsements are named after through the
// functions given, so that a page naming many can read them all at once.
func labelFrom(r domain.Resource, partyName func(id string) string, demandTitle func(id string) (string, bool)) string {
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
		who := partyName(x.PartyID)
		if x.HeadName != "" {
			return who + " delegation led by " + x.HeadName
		}
		return who + " delegation"
	case *domain.Objection:
		return partyName(x.PartyID) + " objection: " + shortText(x.Grounds, 60)
	case *domain.Rebuttal:
		return partyName(x.PartyID) + " answer: " + shortText(x.Grounds, 60)
	case *domain.Endorsement:
		label := partyName(x.PartyID) + " endorsement"
		if title, ok := demandTitle(x.DemandID); ok {
			label += " of “" + title + "”"
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

// named is a resource's label and the page that shows it.
type named struct {
	Label string
	Home  string
}

// nameAll labels many resources and finds their pages with one store read
// per kind involved, never one per resource: it backs pages that list many
// things at once (what still refers to a resource, a history's references).
func (srv *server) nameAll(ctx context.Context, rs []domain.Resource) (map[string]named, error) {
	var partyIDs, demandIDs, objectionIDs []string
	for _, r := range rs {
		switch x := r.(type) {
		case *domain.Delegation:
			partyIDs = append(partyIDs, x.PartyID)
		case *domain.Objection:
			partyIDs = append(partyIDs, x.PartyID)
		case *domain.Rebuttal:
			partyIDs = append(partyIDs, x.PartyID)
			objectionIDs = append(objectionIDs, x.ObjectionID)
		case *domain.Endorsement:
			partyIDs = append(partyIDs, x.PartyID)
			demandIDs = append(demandIDs, x.DemandID)
		}
	}
	objections, err := srv.getMany(ctx, domain.KindObjection, objectionIDs)
	if err != nil {
		return nil, err
	}
	parties, err := srv.getMany(ctx, domain.KindParty, partyIDs)
	if err != nil {
		return nil, err
	}
	demands, err := srv.getMany(ctx, domain.KindDemand, demandIDs)
	if err != nil {
		return nil, err
	}
	partyName := func(id string) string {
		if p, ok := parties[id]; ok {
			return p.(*domain.Party).Name
		}
		return "Unknown party"
	}
	demandTitle := func(id string) (string, bool) {
		if d, ok := demands[id]; ok {
			return d.(*domain.Demand).Title, true
		}
		return "", false
	}
	out := make(map[string]named, len(rs))
	for _, r := range rs {
		n := named{Label: labelFrom(r, partyName, demandTitle)}
		if x, ok := r.(*domain.Rebuttal); ok {
			// A rebuttal shows on its objection's demand, read above.
			if o, ok := objections[x.ObjectionID]; ok {
				n.Home = rebuttalHome(o.(*domain.Objection).DemandID, x.ID)
			}
			out[r.Base().ID] = n
			continue
		}
		// Every stored resource carries its negotiation, so this reads nothing.
		n.Home, _ = srv.homeOf(ctx, r)
		out[r.Base().ID] = n
	}
	return out, nil
}

// getMany is store.GetMany that skips the call when there is nothing to read.
func (srv *server) getMany(ctx context.Context, k domain.Kind, ids []string) (map[string]domain.Resource, error) {
	if len(ids) == 0 {
		return map[string]domain.Resource{}, nil
	}
	return srv.store.GetMany(ctx, k, ids)
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
	case *domain.Rebuttal:
		o, err := srv.store.Get(ctx, domain.KindObjection, x.ObjectionID)
		if err != nil {
			return "", err
		}
		return rebuttalHome(o.(*domain.Objection).DemandID, id), nil
	}
	neg, err := srv.negotiationOf(ctx, r)
	if err != nil {
		return "", err
	}
	return "/negotiations/" + neg + "#" + r.Kind().Singular() + "-" + id, nil
}

// rebuttalHome is a rebuttal's place on the page of the demand whose
// objection it answers.
func rebuttalHome(demandID, id string) string { return "/demands/" + demandID + "#rebuttal-" + id }

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
	case *domain.Rebuttal:
		home, err := srv.homeOf(ctx, r)
		return strings.Split(home, "#")[0], err
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
	case *domain.Rebuttal:
		if o, err := srv.store.Get(ctx, domain.KindObjection, x.ObjectionID); err == nil {
			demandID = o.(*domain.Objection).DemandID
		}
	}
	if demandID != "" {
		if d, err := srv.store.Get(ctx, domain.KindDemand, demandID); err == nil {
			crumbs = append(crumbs, crumb{d.(*domain.Demand).Title, "/demands/" + demandID})
		}
	}
	return crumbs, nil
}
