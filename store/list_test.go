package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/store"
)

// listAll follows cursors to the end and returns the titles in order.
func listAll(t *testing.T, s *store.Store, q domain.ListQuery) (titles []string, pages int) {
	t.Helper()
	for {
		page, err := s.List(context.Background(), q)
		if err != nil {
			t.Fatalf("list %+v: %v", q, err)
		}
		pages++
		for _, r := range page.Items {
			switch v := r.(type) {
			case *domain.Demand:
				titles = append(titles, v.Title)
			case *domain.Party:
				titles = append(titles, v.Name)
			case *domain.Negotiation:
				titles = append(titles, v.Title)
			case *domain.Round:
				titles = append(titles, v.Title)
			default:
				titles = append(titles, r.Base().ID)
			}
		}
		if page.NextCursor == "" {
			return titles, pages
		}
		if pages > 100 {
			t.Fatal("cursor never ends")
		}
		q.Cursor = page.NextCursor
	}
}

func TestListPaginationFiltersAndSearch(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	var want []string
	want = append(want, w.demand.Title)
	for i := 0; i < 11; i++ {
		title := fmt.Sprintf("demand %02d", i)
		p := w.ua
		if i%2 == 1 {
			p = w.ru
		}
		d := w.newDemand(t, p, title)
		want = append(want, title)
		if i%3 == 0 {
			if _, err := w.s.Update(ctx, actor, domain.KindDemand, d.ID, 0, domain.Dating{}, func(r domain.Resource) (domain.Resource, error) {
				r.(*domain.Demand).State = "agreed"
				return r, nil
			}); err != nil {
				t.Fatal(err)
			}
		}
	}
	w.newDemand(t, w.us, "100% guaranteed_safe corridor")
	w.newDemand(t, w.us, "1000 prisoners")
	want = append(want, "100% guaranteed_safe corridor", "1000 prisoners")

	got, pages := listAll(t, w.s, domain.ListQuery{Kind: domain.KindDemand, Limit: 4})
	if fmt.Sprint(got) != fmt.Sprint(want) || pages != 4 {
		t.Fatalf("pages %d, order %v", pages, got)
	}

	cases := []struct {
		name string
		q    domain.ListQuery
		want int
	}{
		{"by party", domain.ListQuery{Kind: domain.KindDemand, Refs: map[string]string{"party_id": w.ru.ID}}, 5},
		{"by party and status", domain.ListQuery{Kind: domain.KindDemand, Refs: map[string]string{"party_id": w.ua.ID}, Status: "agreed"}, 2},
		{"by negotiation and topic", domain.ListQuery{Kind: domain.KindDemand, Refs: map[string]string{"negotiation_id": w.neg.ID, "topic_id": w.topic.ID}}, 14},
		{"status", domain.ListQuery{Kind: domain.KindDemand, Status: "agreed"}, 4},
		{"text any case", domain.ListQuery{Kind: domain.KindDemand, Text: "DEMAND 0"}, 10},
		{"percent literal", domain.ListQuery{Kind: domain.KindDemand, Text: "100%"}, 1},
		{"underscore literal", domain.ListQuery{Kind: domain.KindDemand, Text: "d_s"}, 1},
		{"underscore is not a wildcard", domain.ListQuery{Kind: domain.KindDemand, Text: "demand_0"}, 0},
		{"backslash literal", domain.ListQuery{Kind: domain.KindDemand, Text: `\`}, 0},
		{"party by alias", domain.ListQuery{Kind: domain.KindParty, Text: "russian fed"}, 1},
		{"party by short name", domain.ListQuery{Kind: domain.KindParty, Text: "us"}, 2}, // US, and "rUSsia"
		{"negotiations of a party", domain.ListQuery{Kind: domain.KindNegotiation, Refs: map[string]string{"party_id": w.us.ID}}, 1},
		{"negotiations of an absent party", domain.ListQuery{Kind: domain.KindNegotiation, Refs: map[string]string{"party_id": w.absent.ID}}, 0},
		{"rounds by negotiation", domain.ListQuery{Kind: domain.KindRound, Refs: map[string]string{"negotiation_id": w.neg.ID}}, 1},
		{"rounds by host", domain.ListQuery{Kind: domain.KindRound, Refs: map[string]string{"party_id": w.ua.ID}}, 0},
		{"default limit", domain.ListQuery{Kind: domain.KindDemand}, 14},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := listAll(t, w.s, tc.q)
			if len(got) != tc.want {
				t.Fatalf("got %d: %v", len(got), got)
			}
		})
	}

	errCases := []struct {
		name  string
		q     domain.ListQuery
		field string
	}{
		{"bad cursor", domain.ListQuery{Kind: domain.KindDemand, Cursor: "not-a-cursor!"}, "cursor"},
		{"cursor of no id", domain.ListQuery{Kind: domain.KindDemand, Cursor: domain.EncodeCursor("x' OR 1=1 --")}, "cursor"},
		{"unknown filter", domain.ListQuery{Kind: domain.KindParty, Refs: map[string]string{"negotiation_id": w.neg.ID}}, "negotiation_id"},
		{"status on a kind without one", domain.ListQuery{Kind: domain.KindTopic, Status: "open"}, "status"},
	}
	for _, tc := range errCases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := w.s.List(ctx, tc.q)
			if fieldErrors(t, err).On(tc.field) == "" {
				t.Fatalf("no error on %s: %v", tc.field, err)
			}
		})
	}

	// The store clamps the limit.
	page, err := w.s.List(ctx, domain.ListQuery{Kind: domain.KindDemand, Limit: 100000})
	if err != nil || len(page.Items) != 14 || page.NextCursor != "" {
		t.Fatalf("clamped list: %d items, cursor %q, %v", len(page.Items), page.NextCursor, err)
	}
}

func TestUsersAndTokens(t *testing.T) {
	s := newWorld(t).s
	ctx := context.Background()
	u, err := s.CreateUser(ctx, "Alice", "hash-a", "editor")
	if err != nil {
		t.Fatal(err)
	}
	if u.ID == "" || u.Version != 1 || u.Role != "editor" {
		t.Fatalf("user %+v", u)
	}
	if _, err := s.CreateUser(ctx, "alice", "hash-b", "viewer"); err == nil {
		t.Fatal("username taken in another case was accepted")
	} else if c := errorAs[*domain.ConflictError](t, err); c.Field != "username" {
		t.Fatalf("conflict field %q", c.Field)
	}
	if _, err := s.CreateUser(ctx, "bob", "hash-b", "admin"); err != nil {
		t.Fatal(err)
	}
	if n, err := s.CountUsers(ctx); err != nil || n != 2 {
		t.Fatalf("count %d %v", n, err)
	}
	users, err := s.ListUsers(ctx)
	if err != nil || len(users) != 2 || users[0].Username != "Alice" || users[1].Username != "bob" {
		t.Fatalf("list %+v %v", users, err)
	}
	got, hash, err := s.UserByName(ctx, "ALICE")
	if err != nil || got.ID != u.ID || hash != "hash-a" || !got.CreatedAt.Equal(u.CreatedAt) {
		t.Fatalf("by name %+v %q %v", got, hash, err)
	}
	_, _, err = s.UserByName(ctx, "carol")
	errorAs[*domain.NotFoundError](t, err)

	now := time.Now()
	tokens := []struct {
		hash    string
		expires time.Time
		valid   bool
	}{{"live", now.Add(time.Hour), true}, {"expired", now.Add(-time.Second), false}}
	for _, tk := range tokens {
		if err := s.CreateToken(ctx, u.ID, tk.hash, "api", tk.expires); err != nil {
			t.Fatal(err)
		}
	}
	for _, tk := range tokens {
		got, err := s.UserByToken(ctx, tk.hash, domain.TokenAPI, now)
		if tk.valid && (err != nil || got.ID != u.ID) {
			t.Errorf("%s: %+v %v", tk.hash, got, err)
		}
		if !tk.valid && err != domain.ErrUnauthenticated {
			t.Errorf("%s: want ErrUnauthenticated, got %v", tk.hash, err)
		}
	}
	if _, err := s.UserByToken(ctx, "unknown", domain.TokenAPI, now); err != domain.ErrUnauthenticated {
		t.Errorf("unknown token: %v", err)
	}
	errorAs[*domain.NotFoundError](t, s.CreateToken(ctx, "no-such-user", "h2", "session", now.Add(time.Hour)))
	if err := s.DeleteToken(ctx, "live"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByToken(ctx, "live", domain.TokenAPI, now); err != domain.ErrUnauthenticated {
		t.Errorf("deleted token still valid: %v", err)
	}
}
