package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/text/cases"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/store"
)

func cmdNegotiations(ctx context.Context, args []string, env *environment) error {
	f := newFlags("negotiations", "negotiations [--db PATH_OR_URL]",
		"Lists every negotiation: its id, title, status and when anything in it last changed\n"+
			"(record time, UTC). Any of them can be named to --negotiation by its id, a prefix of\n"+
			"its id that no other negotiation shares, or its exact title.")
	db := dbFlag(f)
	if err := f.parseNoArgs(args, env); err != nil {
		return err
	}
	return withStore(ctx, *db, func(s *store.Store) error {
		all, err := allNegotiations(ctx, s)
		if err != nil {
			return err
		}
		if len(all) == 0 {
			fmt.Fprintln(env.stdout, "No negotiations yet. parley serve --demo loads the demo negotiation.")
			return nil
		}
		last, err := s.LastChanges(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tTITLE\tSTATUS\tLAST CHANGE")
		for _, n := range all {
			changed := n.UpdatedAt
			if t, ok := last[n.ID]; ok && t.After(changed) {
				changed = t
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", n.ID, oneLine(n.Title), n.State, changed.UTC().Format(time.DateTime))
		}
		return w.Flush()
	})
}

// allNegotiations reads every negotiation, in creation order.
func allNegotiations(ctx context.Context, s domain.Store) ([]*domain.Negotiation, error) {
	var out []*domain.Negotiation
	q := domain.ListQuery{Kind: domain.KindNegotiation, Limit: store.MaxLimit}
	for {
		page, err := s.List(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("list negotiations: %w", err)
		}
		for _, r := range page.Items {
			out = append(out, r.(*domain.Negotiation))
		}
		if page.NextCursor == "" {
			return out, nil
		}
		q.Cursor = page.NextCursor
	}
}

// maxCandidates bounds how many negotiations an error names.
const maxCandidates = 10

// resolveNegotiation finds the negotiation that name stands for: its id,
// a prefix of its id no other negotiation shares, or its exact title in
// any case. When none or several fit, the error names what would.
func resolveNegotiation(ctx context.Context, s domain.Store, name string) (*domain.Negotiation, error) {
	name = strings.TrimSpace(name)
	if r, err := s.Get(ctx, domain.KindNegotiation, name); err == nil {
		return r.(*domain.Negotiation), nil
	} else if !errors.As(err, new(*domain.NotFoundError)) {
		return nil, fmt.Errorf("read negotiation: %w", err)
	}
	all, err := allNegotiations(ctx, s)
	if err != nil {
		return nil, err
	}
	matches := matchNegotiations(all, name)
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		if len(all) == 0 {
			return nil, fmt.Errorf("no negotiation %q: the database has none yet (parley serve --demo loads the demo)", name)
		}
		return nil, fmt.Errorf("no negotiation %q; give one of: %s (parley negotiations lists them)", name, candidates(all))
	}
	return nil, fmt.Errorf("%q fits %d negotiations; give the id of one: %s", name, len(matches), candidates(matches))
}

// matchNegotiations returns the negotiations whose title equals name in
// any case or, failing that, whose id begins with name.
func matchNegotiations(all []*domain.Negotiation, name string) []*domain.Negotiation {
	fold := cases.Fold()
	want := fold.String(name)
	var byTitle, byPrefix []*domain.Negotiation
	for _, n := range all {
		if fold.String(n.Title) == want {
			byTitle = append(byTitle, n)
		}
		if name != "" && strings.HasPrefix(n.ID, strings.ToLower(name)) {
			byPrefix = append(byPrefix, n)
		}
	}
	if len(byTitle) > 0 {
		return byTitle
	}
	return byPrefix
}

// candidates names negotiations for an error: title and id, at most
// maxCandidates of them.
func candidates(ns []*domain.Negotiation) string {
	names := make([]string, 0, min(len(ns), maxCandidates))
	for i, n := range ns {
		if i == maxCandidates {
			names = append(names, fmt.Sprintf("and %d more", len(ns)-maxCandidates))
			break
		}
		names = append(names, fmt.Sprintf("%q (%s)", oneLine(n.Title), n.ID))
	}
	return strings.Join(names, ", ")
}

// reportFormatAlias maps the short names people type to report formats.
func reportFormatAlias(format string) string {
	switch f := strings.ToLower(strings.TrimSpace(format)); f {
	case "md":
		return "markdown"
	default:
		return f
	}
}
