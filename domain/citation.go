package domain

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Citation ties a claim to its source, graded on the Admiralty scale:
// reliability of the source (A–F) and credibility of the information (1–6).
type Citation struct {
	Publisher   string      `json:"publisher"`
	Title       string      `json:"title"`
	URL         string      `json:"url"`
	PublishedAt string      `json:"published_at"`
	Locator     string      `json:"locator"`
	Quote       string      `json:"quote"`
	Reliability Reliability `json:"reliability"`
	Credibility Grade       `json:"credibility"`
}

// Grade is the Admiralty credibility digit. Clients send it as "2" or 2;
// it is always written as a string.
type Grade string

func (g *Grade) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*g = Grade(s)
		return nil
	}
	if bytes.Equal(b, []byte("null")) {
		*g = ""
		return nil
	}
	n, err := strconv.Atoi(string(b))
	if err != nil {
		return fmt.Errorf("must be a digit from 1 to 6")
	}
	*g = Grade(strconv.Itoa(n))
	return nil
}

// Grading is the combined Admiralty code, such as "B2", or "" if ungraded.
func (c Citation) Grading() string { return string(c.Reliability) + string(c.Credibility) }

func (c *Citation) normalize() {
	for _, s := range []*string{&c.Publisher, &c.Title, &c.URL, &c.PublishedAt, &c.Locator, &c.Quote} {
		trim(s)
	}
	c.Reliability = Reliability(strings.TrimSpace(string(c.Reliability)))
	c.Credibility = Grade(strings.TrimSpace(string(c.Credibility)))
	if t, err := NormalizeTime(c.PublishedAt); err == nil && len(c.PublishedAt) > len(DateLayout) {
		c.PublishedAt = t.Format("2006-01-02T15:04:05Z07:00")
	}
}

func (c *Citation) validate(ch *checker, field string) {
	ch.text(field+".publisher", c.Publisher, MaxName, false)
	ch.text(field+".title", c.Title, MaxShort, false)
	ch.webURL(field+".url", c.URL)
	if c.URL == "" && c.Title == "" {
		ch.errs.Add(field+".title", "a citation needs a url or a title")
	}
	if c.PublishedAt != "" {
		if _, err := NormalizeTime(c.PublishedAt); err != nil {
			ch.errs.Add(field+".published_at", "must be an RFC 3339 time or a YYYY-MM-DD date")
		}
	}
	ch.text(field+".locator", c.Locator, MaxShort, false)
	ch.text(field+".quote", c.Quote, MaxQuote, false)
	checkEnum(ch, field+".reliability", c.Reliability, reliabilities)
	checkEnum(ch, field+".credibility", c.Credibility, credibilities)
}

// normalizeCitations normalizes each citation and never leaves the list nil,
// so that it is written as [] rather than null.
func normalizeCitations(cs *[]Citation) {
	if *cs == nil {
		*cs = []Citation{}
	}
	for i := range *cs {
		(*cs)[i].normalize()
	}
}

func validateCitations(ch *checker, cs []Citation) { validateCitationsAt(ch, "citations", cs) }

// validateCitationsAt checks a list of citations held in field.
func validateCitationsAt(ch *checker, field string, cs []Citation) {
	ch.count(field, len(cs), MaxList)
	for i := range cs {
		cs[i].validate(ch, fmt.Sprintf("%s[%d]", field, i))
	}
}
