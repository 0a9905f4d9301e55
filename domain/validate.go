package domain

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Length limits on text fields, in characters.
const (
	MaxName     = 200   // names, titles, short labels
	MaxShort    = 500   // locators, head titles, venues
	MaxText     = 20000 // descriptions, details, notes, summaries, grounds
	MaxQuote    = 5000
	MaxURL      = 2048
	MaxList     = 200 // aliases, members, participants, citations, terms
	MaxTermKey  = 100
	MaxTermText = 1000
)

// DateLayout is the contract's date format.
const DateLayout = "2006-01-02"

// checker accumulates field errors with small helpers, so that each type's
// Validate reads as a list of rules.
type checker struct{ errs FieldErrors }

func (c *checker) required(field, v string) bool {
	if v == "" {
		c.errs.Add(field, "is required")
		return false
	}
	return true
}

func (c *checker) maxLen(field, v string, max int) {
	if n := utf8.RuneCountInString(v); n > max {
		c.errs.Add(field, "is %d characters long; the limit is %d", n, max)
	}
	if !utf8.ValidString(v) {
		c.errs.Add(field, "is not valid UTF-8")
	}
	// PostgreSQL can store no NUL in text or jsonb; it never carries meaning.
	if strings.IndexByte(v, 0) >= 0 {
		c.errs.Add(field, "must not contain the NUL character")
	}
}

func (c *checker) text(field, v string, max int, required bool) {
	if required && !c.required(field, v) {
		return
	}
	c.maxLen(field, v, max)
}

func (c *checker) date(field, v string, required bool) {
	if v == "" {
		if required {
			c.errs.Add(field, "is required")
		}
		return
	}
	if _, err := time.Parse(DateLayout, v); err != nil {
		c.errs.Add(field, "must be a date as YYYY-MM-DD")
	}
}

func (c *checker) id(field, v string, required bool) {
	if v == "" {
		if required {
			c.errs.Add(field, "is required")
		}
		return
	}
	if _, err := uuid.Parse(v); err != nil || len(v) != 36 {
		c.errs.Add(field, "must be a UUID")
	}
}

func (c *checker) count(field string, n, max int) {
	if n > max {
		c.errs.Add(field, "has %d entries; the limit is %d", n, max)
	}
}

// webURL accepts only absolute http and https addresses: a report or page
// links to it, so javascript: and data: addresses are refused.
func (c *checker) webURL(field, v string) {
	if v == "" {
		return
	}
	c.maxLen(field, v, MaxURL)
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		c.errs.Add(field, "must be an absolute http or https URL")
	}
}

// trim normalizes a text field: surrounding white space never carries meaning.
func trim(s *string) { *s = strings.TrimSpace(*s) }

// NormalizeTime parses an RFC 3339 instant or a bare date (midnight UTC) and
// returns it in UTC. as_of and since accept both.
func NormalizeTime(v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		// An offset can carry a time at the edge of year 0 or 9999 outside
		// them in UTC, where RFC 3339 (and a JSON answer echoing it) cannot go.
		if u := t.UTC(); u.Year() >= 0 && u.Year() <= 9999 {
			return u, nil
		}
		return time.Time{}, fmt.Errorf("%q lies outside the years 0000 to 9999 in UTC", v)
	}
	if t, err := time.Parse(DateLayout, v); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%q is neither an RFC 3339 time nor a YYYY-MM-DD date", v)
}

func join(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return strings.ToLower(b.String())
}
