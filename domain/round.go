package domain

// Round is one session of talks: a date, a place and a format.
type Round struct {
	Meta
	NegotiationID string      `json:"negotiation_id"`
	Title         string      `json:"title"`
	StartsOn      string      `json:"starts_on"`
	EndsOn        string      `json:"ends_on"`
	Location      string      `json:"location"`
	Venue         string      `json:"venue"`
	Format        RoundFormat `json:"format"`
	HostPartyID   string      `json:"host_party_id"`
	Summary       string      `json:"summary"`
}

func (*Round) Kind() Kind            { return KindRound }
func (r *Round) Negotiation() string { return r.NegotiationID }
func (*Round) Status() string        { return "" }
func (r *Round) SearchText() string {
	return join(r.Title, r.Location, r.Venue, r.Summary)
}

func (r *Round) Refs() []Ref {
	refs := []Ref{{Field: "negotiation_id", Kind: KindNegotiation, ID: r.NegotiationID}}
	if r.HostPartyID != "" {
		refs = append(refs, Ref{Field: "host_party_id", Kind: KindParty, ID: r.HostPartyID})
	}
	return nonEmpty(refs)
}

func (r *Round) Normalize() {
	for _, s := range []*string{&r.NegotiationID, &r.Title, &r.StartsOn, &r.EndsOn, &r.Location, &r.Venue, &r.HostPartyID, &r.Summary} {
		trim(s)
	}
	defaultTo(&r.Format, roundFormats)
}

func (r *Round) Validate() FieldErrors {
	var c checker
	c.id("negotiation_id", r.NegotiationID, true)
	c.text("title", r.Title, MaxName, true)
	c.date("starts_on", r.StartsOn, true)
	c.date("ends_on", r.EndsOn, false)
	if r.EndsOn != "" && r.StartsOn != "" && r.EndsOn < r.StartsOn && len(c.errs) == 0 {
		c.errs.Add("ends_on", "is before starts_on")
	}
	c.text("location", r.Location, MaxShort, false)
	c.text("venue", r.Venue, MaxShort, false)
	checkEnum(&c, "format", r.Format, roundFormats)
	c.id("host_party_id", r.HostPartyID, false)
	c.text("summary", r.Summary, MaxText, false)
	return c.errs
}

func nonEmpty(refs []Ref) []Ref {
	out := refs[:0]
	for _, r := range refs {
		if r.ID != "" {
			out = append(out, r)
		}
	}
	return out
}
