package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/store/storetest"
)

func TestTokenKinds(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	u, err := s.CreateUser(ctx, "ana", "hash", "editor")
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{domain.TokenAPI, domain.TokenSession} {
		if err := s.CreateToken(ctx, u.ID, "hash-of-"+kind, kind, time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	for _, stored := range []string{domain.TokenAPI, domain.TokenSession} {
		for _, asked := range []string{domain.TokenAPI, domain.TokenSession} {
			got, err := s.UserByToken(ctx, "hash-of-"+stored, asked, time.Now())
			if stored == asked && (err != nil || got.ID != u.ID) {
				t.Errorf("a %s token asked for as one: %+v %v", stored, got, err)
			}
			if stored != asked && !errors.Is(err, domain.ErrUnauthenticated) {
				t.Errorf("a %s token accepted as a %s: %+v %v", stored, asked, got, err)
			}
		}
	}
}
