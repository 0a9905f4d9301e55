package domain

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestValidateRequiredAllAtOnce proves that an empty resource of every kind
// names every required field in one answer, and nothing else.
func TestValidateRequiredAllAtOnce(t *testing.T) {
	for _, k := range Kinds {
		t.Run(string(k), func(t *testing.T) {
			r := New(k)
			r.Normalize()
			var got []string
			for _, fe := range r.Validate() {
				if fe.Message != "is required" {
					t.Errorf("empty %s: unexpected problem %s: %s", k, fe.Field, fe.Message)
					continue
				}
				got = append(got, fe.Field)
			}
			want := slices.Clone(Required[k])
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("required fields named = %q, want %q", got, want)
			}
		})
	}
}

func TestNormalizeDefaults(t *testing.T) {
	tests := []struct {
		r    Resource
		want func(Resource) string
		is   string
	}{
		{&Party{}, func(r Resource) string { return string(r.(*Party).PartyKind) }, "state"},
		{&Negotiation{}, func(r Resource) string { return string(r.(*Negotiation).State) }, "active"},
		{&Round{}, func(r Resource) string { return string(r.(*Round).Format) }, "direct"},
		{&Delegation{}, func(r Resource) string { return string(r.(*Delegation).Level) }, "technical"},
		{&Demand{}, func(r Resource) string { return string(r.(*Demand).State) + "/" + string(r.(*Demand).Priority) }, "tabled/normal"},
		{&Objection{}, func(r Resource) string { return string(r.(*Objection).Type) + "/" + string(r.(*Objection).State) }, "rejection/standing"},
		{&Party{Name: "  Ukraine \n", PartyKind: " bloc "}, func(r Resource) string { return r.(*Party).Name + "|" + string(r.(*Party).PartyKind) }, "Ukraine|bloc"},
		{&Party{Aliases: []string{" RF ", "", "  "}}, func(r Resource) string { return strings.Join(r.(*Party).Aliases, ",") }, "RF"},
	}
	for _, tt := range tests {
		tt.r.Normalize()
		if got := tt.want(tt.r); got != tt.is {
			t.Errorf("%s after Normalize: %q, want %q", tt.r.Kind(), got, tt.is)
		}
	}
	// Lists are written as [] rather than null.
	d := &Demand{}
	d.Normalize()
	if d.Terms == nil || d.Citations == nil {
		t.Error("Normalize left demand terms or citations nil")
	}
}

func validParty() *Party { return &Party{Name: "Ukraine", Aliases: []string{"UA"}} }
func validNegotiation() *Negotiation {
	return &Negotiation{Title: "Istanbul talks", StartedOn: "2025-05-16", Participants: []Participant{{PartyID: uuidA, Role: "principal"}, {PartyID: uuidB, Role: "mediator"}}}
}
func validRound() *Round {
	return &Round{NegotiationID: uuidA, Title: "Istanbul round", StartsOn: "2025-05-16", EndsOn: "2025-05-16", Format: "mediated", HostPartyID: uuidB}
}
func validDelegation() *Delegation {
	return &Delegation{RoundID: uuidA, PartyID: uuidB, Level: "ministerial", Members: []Member{{Name: "Rustem Umerov", Title: "Defence Minister"}}}
}
func validTopic() *Topic { return &Topic{NegotiationID: uuidA, Title: "Ceasefire", SortOrder: 1} }
func validDemand() *Demand {
	return &Demand{NegotiationID: uuidA, PartyID: uuidB, TopicID: uuidC, Title: "30-day ceasefire", StatedOn: "2025-05-16",
		Terms: map[string]any{"duration_days": 30.0, "unconditional": true, "monitor": "UN"}}
}
func validObjection() *Objection {
	return &Objection{DemandID: uuidA, PartyID: uuidB, Grounds: "rest and rearm", StatedOn: "2025-05-16", Type: "condition"}
}
func validEndorsement() *Endorsement {
	return &Endorsement{DemandID: uuidA, PartyID: uuidB, StatedOn: "2025-05-16"}
}

func TestValidateRules(t *testing.T) {
	long := func(n int) string { return strings.Repeat("a", n) }
	tests := []struct {
		name   string
		r      Resource
		fields []string // every field the errors must name, sorted; empty for valid
	}{
		{"party valid", validParty(), nil},
		{"party name 200 runes of ü is fine", &Party{Name: strings.Repeat("ü", MaxName)}, nil},
		{"party name too long", &Party{Name: long(MaxName + 1)}, []string{"name"}},
		{"party bad kind", &Party{Name: "x", PartyKind: "empire"}, []string{"kind"}},
		{"party alias too long", &Party{Name: "x", Aliases: []string{"ok", long(MaxName + 1)}}, []string{"aliases[1]"}},
		{"party too many aliases", &Party{Name: "x", Aliases: slices.Repeat([]string{"alias"}, MaxList+1)}, []string{"aliases"}},
		{"party invalid UTF-8", &Party{Name: "\xff\xfe"}, []string{"name"}},
		{"party every problem at once", &Party{Name: long(MaxName + 1), ShortName: long(MaxName + 1), PartyKind: "x", Notes: long(MaxText + 1)}, []string{"kind", "name", "notes", "short_name"}},

		{"negotiation valid", validNegotiation(), nil},
		{"negotiation bad status", &Negotiation{Title: "t", State: "paused"}, []string{"status"}},
		{"negotiation bad date", &Negotiation{Title: "t", StartedOn: "16/05/2025"}, []string{"started_on"}},
		{"negotiation impossible date", &Negotiation{Title: "t", StartedOn: "2025-02-30"}, []string{"started_on"}},
		{"negotiation participant problems", &Negotiation{Title: "t", Participants: []Participant{
			{PartyID: "not-a-uuid", Role: "principal"},
			{PartyID: uuidA, Role: "referee"},
			{PartyID: uuidA, Role: "host"},
			{},
		}}, []string{"participants[0].party_id", "participants[1].role", "participants[2].party_id", "participants[3].party_id", "participants[3].role"}},

		{"round valid", validRound(), nil},
		{"round ends before it starts", &Round{NegotiationID: uuidA, Title: "t", StartsOn: "2025-05-16", EndsOn: "2025-05-15"}, []string{"ends_on"}},
		{"round bad format and host", &Round{NegotiationID: uuidA, Title: "t", StartsOn: "2025-05-16", Format: "hybrid", HostPartyID: "turkey"}, []string{"format", "host_party_id"}},
		{"round uppercase uuid is fine", &Round{NegotiationID: strings.ToUpper(uuidA), Title: "t", StartsOn: "2025-05-16"}, nil},
		{"round braced uuid is not", &Round{NegotiationID: "{" + uuidA + "}", Title: "t", StartsOn: "2025-05-16"}, []string{"negotiation_id"}},
		{"round date with time", &Round{NegotiationID: uuidA, Title: "t", StartsOn: "2025-05-16T10:00:00Z"}, []string{"starts_on"}},

		{"delegation valid", validDelegation(), nil},
		{"delegation bad level and member", &Delegation{RoundID: uuidA, PartyID: uuidB, Level: "minister", Members: []Member{{Title: "aide"}, {Name: "x", Title: long(MaxShort + 1)}}}, []string{"level", "members[0].name", "members[1].title"}},

		{"topic valid", validTopic(), nil},
		{"topic sort order out of range", &Topic{NegotiationID: uuidA, Title: "t", SortOrder: 2_000_000}, []string{"sort_order"}},
		{"topic negative sort order is fine", &Topic{NegotiationID: uuidA, Title: "t", SortOrder: -5}, nil},

		{"demand valid", validDemand(), nil},
		{"demand bad enums and date", &Demand{NegotiationID: uuidA, PartyID: uuidB, TopicID: uuidC, Title: "t", StatedOn: "yesterday", State: "open", Priority: "urgent"}, []string{"priority", "stated_on", "status"}},
		{"demand nested terms refused", &Demand{NegotiationID: uuidA, PartyID: uuidB, TopicID: uuidC, Title: "t", StatedOn: "2025-05-16",
			Terms: map[string]any{"a": map[string]any{"b": 1.0}, "b": []any{1.0}, "c": nil, "d": 1.0, "e": "x", "f": false}}, []string{"terms.a", "terms.b", "terms.c"}},
		{"demand term text too long", &Demand{NegotiationID: uuidA, PartyID: uuidB, TopicID: uuidC, Title: "t", StatedOn: "2025-05-16",
			Terms: map[string]any{"x": long(MaxTermText + 1)}}, []string{"terms.x"}},
		{"demand term name empty or too long", &Demand{NegotiationID: uuidA, PartyID: uuidB, TopicID: uuidC, Title: "t", StatedOn: "2025-05-16",
			Terms: map[string]any{"": 1.0, long(MaxTermKey + 1): 1.0}}, []string{"terms", "terms"}},
		{"demand infinite term", &Demand{NegotiationID: uuidA, PartyID: uuidB, TopicID: uuidC, Title: "t", StatedOn: "2025-05-16",
			Terms: map[string]any{"x": math.Inf(1)}}, []string{"terms.x"}},
		{"demand bad round id", &Demand{NegotiationID: uuidA, PartyID: uuidB, TopicID: uuidC, Title: "t", StatedOn: "2025-05-16", RoundID: "r1"}, []string{"round_id"}},

		{"objection valid", validObjection(), nil},
		{"objection bad kind and status", &Objection{DemandID: uuidA, PartyID: uuidB, Grounds: "g", StatedOn: "2025-05-16", Type: "veto", State: "open"}, []string{"kind", "status"}},
		{"objection grounds too long", &Objection{DemandID: uuidA, PartyID: uuidB, Grounds: long(MaxText + 1), StatedOn: "2025-05-16"}, []string{"grounds"}},

		{"endorsement valid", validEndorsement(), nil},
		{"endorsement bad date", &Endorsement{DemandID: uuidA, PartyID: uuidB, StatedOn: "2025-5-16"}, []string{"stated_on"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.r.Normalize()
			var got []string
			for _, fe := range tt.r.Validate() {
				got = append(got, fe.Field)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.fields) {
				t.Errorf("fields named = %q, want %q (%v)", got, tt.fields, tt.r.Validate())
			}
		})
	}
}

func TestCitationRules(t *testing.T) {
	ok := Citation{Publisher: "Newsweek", Title: "Live updates", URL: "https://www.newsweek.com/russia-ukraine-live-2072881",
		PublishedAt: "2025-05-16", Locator: "08:13 AM EDT", Quote: "q", Reliability: "B", Credibility: "2"}
	with := func(change func(c *Citation)) Citation { c := ok; change(&c); return c }
	tests := []struct {
		name   string
		c      Citation
		fields []string
	}{
		{"valid", ok, nil},
		{"title only", Citation{Title: "A briefing"}, nil},
		{"url only", Citation{URL: "http://example.org/a"}, nil},
		{"neither url nor title", Citation{Publisher: "Newsweek"}, []string{"citations[0].title"}},
		{"javascript url", with(func(c *Citation) { c.URL = "javascript:alert(1)" }), []string{"citations[0].url"}},
		{"JavaScript url in capitals", with(func(c *Citation) { c.URL = "JAVASCRIPT:alert(1)" }), []string{"citations[0].url"}},
		{"data url", with(func(c *Citation) { c.URL = "data:text/html,<script>alert(1)</script>" }), []string{"citations[0].url"}},
		{"ftp url", with(func(c *Citation) { c.URL = "ftp://example.org/a" }), []string{"citations[0].url"}},
		{"relative url", with(func(c *Citation) { c.URL = "/news/a" }), []string{"citations[0].url"}},
		{"scheme-relative url", with(func(c *Citation) { c.URL = "//example.org/a" }), []string{"citations[0].url"}},
		{"url without host", with(func(c *Citation) { c.URL = "https://" }), []string{"citations[0].url"}},
		{"url too long", with(func(c *Citation) { c.URL = "https://example.org/" + strings.Repeat("a", MaxURL) }), []string{"citations[0].url"}},
		{"published_at as time", with(func(c *Citation) { c.PublishedAt = "2025-05-16T12:13:00Z" }), nil},
		{"published_at bad", with(func(c *Citation) { c.PublishedAt = "16 May 2025" }), []string{"citations[0].published_at"}},
		{"reliability lower case", with(func(c *Citation) { c.Reliability = "b" }), []string{"citations[0].reliability"}},
		{"reliability G", with(func(c *Citation) { c.Reliability = "G" }), []string{"citations[0].reliability"}},
		{"credibility 0", with(func(c *Citation) { c.Credibility = "0" }), []string{"citations[0].credibility"}},
		{"credibility 7", with(func(c *Citation) { c.Credibility = "7" }), []string{"citations[0].credibility"}},
		{"quote too long", with(func(c *Citation) { c.Quote = strings.Repeat("q", MaxQuote+1) }), []string{"citations[0].quote"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The same rules hold wherever a citation sits.
			for _, r := range []Resource{
				&Demand{NegotiationID: uuidA, PartyID: uuidB, TopicID: uuidC, Title: "t", StatedOn: "2025-05-16", Citations: []Citation{tt.c}},
				&Objection{DemandID: uuidA, PartyID: uuidB, Grounds: "g", StatedOn: "2025-05-16", Citations: []Citation{tt.c}},
				&Endorsement{DemandID: uuidA, PartyID: uuidB, StatedOn: "2025-05-16", Citations: []Citation{tt.c}},
			} {
				r.Normalize()
				var got []string
				for _, fe := range r.Validate() {
					got = append(got, fe.Field)
				}
				if !slices.Equal(got, tt.fields) {
					t.Errorf("%s: fields named = %q, want %q", r.Kind(), got, tt.fields)
				}
			}
		})
	}
}

func TestCitationNormalize(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"2025-05-16", "2025-05-16"},
		{" 2025-05-16 ", "2025-05-16"},
		{"2025-05-16T08:13:00-04:00", "2025-05-16T12:13:00Z"},
		{"2025-05-16T12:13:00.5Z", "2025-05-16T12:13:00Z"},
		{"not a date", "not a date"}, // left for Validate to refuse
	}
	for _, tt := range tests {
		c := Citation{Title: " t ", PublishedAt: tt.in, Credibility: " 2 "}
		c.normalize()
		if c.PublishedAt != tt.want || c.Title != "t" || c.Credibility != "2" {
			t.Errorf("normalize(%q) = %q (title %q, credibility %q), want %q", tt.in, c.PublishedAt, c.Title, c.Credibility, tt.want)
		}
	}
	if got := (Citation{Reliability: "B", Credibility: "2"}).Grading(); got != "B2" {
		t.Errorf("Grading = %q, want B2", got)
	}
	if got := (Citation{}).Grading(); got != "" {
		t.Errorf("ungraded Grading = %q", got)
	}
}

func TestNormalizeTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2025-05-16", time.Date(2025, 5, 16, 0, 0, 0, 0, time.UTC), true},
		{" 2025-05-16\n", time.Date(2025, 5, 16, 0, 0, 0, 0, time.UTC), true},
		{"2025-05-16T08:13:00-04:00", time.Date(2025, 5, 16, 12, 13, 0, 0, time.UTC), true},
		{"2025-05-16T12:13:00.123456789Z", time.Date(2025, 5, 16, 12, 13, 0, 123456789, time.UTC), true},
		{"2025-05-16T12:13:00+03:00", time.Date(2025, 5, 16, 9, 13, 0, 0, time.UTC), true},
		{"", time.Time{}, false},
		{"2025-05-16 12:13:00", time.Time{}, false},
		{"16 May 2025", time.Time{}, false},
		{"2025-02-30", time.Time{}, false},
		{"1747397580", time.Time{}, false},
	}
	for _, tt := range tests {
		got, err := NormalizeTime(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("NormalizeTime(%q) error = %v, want ok %v", tt.in, err, tt.ok)
			continue
		}
		if tt.ok && (!got.Equal(tt.want) || got.Location() != time.UTC) {
			t.Errorf("NormalizeTime(%q) = %v, want %v in UTC", tt.in, got, tt.want)
		}
	}
}

func TestFieldErrors(t *testing.T) {
	var errs FieldErrors
	if errs.Err() != nil {
		t.Fatal("no problems must give a nil error")
	}
	errs.Add("name", "is required")
	errs.Add("kind", "must be one of %s", "a, b")
	errs.Add("name", "second")
	if errs.On("name") != "is required" || errs.On("kind") != "must be one of a, b" || errs.On("notes") != "" {
		t.Errorf("On gives %q %q %q", errs.On("name"), errs.On("kind"), errs.On("notes"))
	}
	err := errs.Err()
	if errorClass(err) != "422" || !strings.Contains(err.Error(), "name: is required; kind:") {
		t.Errorf("Err() = %v", err)
	}
	ref := NewReferencedError(KindParty, uuidA, []Ref{{Kind: KindDemand, ID: uuidB}, {Kind: KindDemand, ID: uuidC}, {Kind: KindRound, ID: uuidD}})
	if want := "party " + uuidA + " is still referred to by 1 rounds, 2 demands"; ref.Error() != want && ref.Error() != "party "+uuidA+" is still referred to by 2 demands, 1 rounds" {
		t.Errorf("NewReferencedError = %q, want %q", ref.Error(), want)
	}
}

func TestTerms(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{30.0, "30"}, {2.5, "2.5"}, {-1.0, "-1"}, {true, "yes"}, {false, "no"}, {"UN", "UN"}, {nil, ""}, {1e20, "1e+20"},
	}
	for _, tt := range tests {
		if got := FormatTerm(tt.v); got != tt.want {
			t.Errorf("FormatTerm(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
	if got := TermKeys(map[string]any{"b": 1, "a": 2, "c": 3}); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("TermKeys = %q", got)
	}
}

func TestSearchText(t *testing.T) {
	p := &Party{Name: "Russia", ShortName: "RU", Aliases: []string{"Russian Federation", "RF"}}
	for _, q := range []string{"russian federation", "rf", "ru", "russia"} {
		if !strings.Contains(p.SearchText(), q) {
			t.Errorf("party search text %q lacks %q", p.SearchText(), q)
		}
	}
	d := &Delegation{HeadName: "Rustem Umerov", Members: []Member{{Name: "Kyrylo Budanov", Title: "intelligence chief"}}}
	if !strings.Contains(d.SearchText(), "budanov") || !strings.Contains(d.SearchText(), "umerov") {
		t.Errorf("delegation search text %q", d.SearchText())
	}
}
