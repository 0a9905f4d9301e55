package domain

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

const (
	bxNeg                = "00000000-0000-4000-8000-000000000101"
	bxG77                = "00000000-0000-4000-8000-0000000001a0"
	bxA, bxB, bxC, bxD   = "00000000-0000-4000-8000-0000000001a1", "00000000-0000-4000-8000-0000000001a2", "00000000-0000-4000-8000-0000000001a3", "00000000-0000-4000-8000-0000000001a4"
	bxHost               = "00000000-0000-4000-8000-0000000001a5"
	bxT1, bxT2           = "00000000-0000-4000-8000-0000000001b1", "00000000-0000-4000-8000-0000000001b2"
	bxG1, bxG2, bxC1     = "00000000-0000-4000-8000-0000000001d1", "00000000-0000-4000-8000-0000000001d2", "00000000-0000-4000-8000-0000000001d3"
	bxEndA, bxObjC, bxHD = "00000000-0000-4000-8000-0000000001e1", "00000000-0000-4000-8000-0000000001e2", "00000000-0000-4000-8000-0000000001d4"
)

// blocSnapshot is a conference in miniature: a bloc of three members (B's
// membership ended in 2023), a party in no bloc, and a host that mediates
// too. On T1 the bloc demands something, A says nothing and C demands its
// own thing; on T2 A endorses the bloc's demand and C objects to it.
func blocSnapshot() *Snapshot {
	m := func(id string) Meta { return Meta{ID: id, Version: 1} }
	return &Snapshot{
		Negotiation: &Negotiation{Meta: m(bxNeg), Title: "Climate finance", State: "active", StartedOn: "2024-11-11",
			Participants: []Participant{{bxG77, "principal"}, {bxA, "principal"}, {bxB, "principal"}, {bxC, "principal"}, {bxD, "principal"},
				{bxHost, "host"}, {bxHost, "mediator"}}},
		Parties: []*Party{
			{Meta: m(bxG77), Name: "G77 and China", PartyKind: "bloc", Members: []Membership{
				{PartyID: bxA, Since: "1964-06-15"}, {PartyID: bxB, Until: "2023-12-31"}, {PartyID: bxC}}},
			{Meta: m(bxA), Name: "Alpha", PartyKind: "state"},
			{Meta: m(bxB), Name: "Beta", PartyKind: "state"},
			{Meta: m(bxC), Name: "Gamma", PartyKind: "state"},
			{Meta: m(bxD), Name: "Delta", PartyKind: "state"},
			{Meta: m(bxHost), Name: "Host", PartyKind: "state"},
		},
		Topics: []*Topic{
			{Meta: m(bxT1), NegotiationID: bxNeg, Title: "Quantum", SortOrder: 1},
			{Meta: m(bxT2), NegotiationID: bxNeg, Title: "Contributor base", SortOrder: 2},
		},
		Demands: []*Demand{
			{Meta: m(bxG1), NegotiationID: bxNeg, PartyID: bxG77, TopicID: bxT1, Title: "$1.3 trillion a year", State: "tabled", StatedOn: "2024-11-12", Terms: map[string]any{}},
			{Meta: m(bxC1), NegotiationID: bxNeg, PartyID: bxC, TopicID: bxT1, Title: "$1 trillion a year", State: "tabled", StatedOn: "2024-11-13", Terms: map[string]any{}},
			{Meta: m(bxG2), NegotiationID: bxNeg, PartyID: bxG77, TopicID: bxT2, Title: "Developed countries pay", State: "tabled", StatedOn: "2024-11-12", Terms: map[string]any{}},
			{Meta: m(bxHD), NegotiationID: bxNeg, PartyID: bxHost, TopicID: bxT2, Title: "A bridging text", State: "tabled", StatedOn: "2024-11-20", Terms: map[string]any{}},
		},
		Endorsements: []*Endorsement{{Meta: m(bxEndA), DemandID: bxG2, PartyID: bxA, StatedOn: "2024-11-14"}},
		Objections:   []*Objection{{Meta: m(bxObjC), DemandID: bxG2, PartyID: bxC, Grounds: "We contribute already", Type: "reservation", State: "standing", StatedOn: "2024-11-15"}},
	}
}

var bxToday = time.Date(2024, 11, 24, 12, 0, 0, 0, time.UTC)

func TestValidateMembers(t *testing.T) {
	bloc := func(ms ...Membership) *Party { return &Party{Name: "Bloc", PartyKind: "bloc", Members: ms} }
	tests := []struct {
		name  string
		party *Party
		want  []string
	}{
		{"a bloc with dated and open members", bloc(Membership{PartyID: bxA, Since: "2020-01-01", Until: "2024-12-31"}, Membership{PartyID: bxB}), nil},
		{"a party that left and came back", bloc(Membership{PartyID: bxA, Until: "2019-12-31"}, Membership{PartyID: bxA, Since: "2021-01-01"}), nil},
		{"only a bloc has members", &Party{Name: "State", PartyKind: "state", Members: []Membership{{PartyID: bxA}}}, []string{"members"}},
		{"since after until", bloc(Membership{PartyID: bxA, Since: "2024-02-01", Until: "2024-01-01"}), []string{"members[0].since"}},
		{"bad id and dates", bloc(Membership{PartyID: "g77", Since: "1 May", Until: "2024-13-01"}), []string{"members[0].party_id", "members[0].since", "members[0].until"}},
		{"no party", bloc(Membership{Since: "2024-01-01"}), []string{"members[0].party_id"}},
		{"the same member twice over overlapping periods", bloc(Membership{PartyID: bxA, Until: "2024-06-30"}, Membership{PartyID: bxA, Since: "2024-06-01"}), []string{"members[1].party_id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.party.Normalize()
			var got []string
			for _, fe := range tt.party.Validate() {
				got = append(got, fe.Field)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("fields = %v, want %v (%v)", got, tt.want, tt.party.Validate())
			}
		})
	}
	self := bloc(Membership{PartyID: bxG77})
	self.ID = bxG77
	if errs := self.Validate(); errs.On("members[0].party_id") == "" {
		t.Errorf("a bloc containing itself: %v, want an error on members[0].party_id", errs)
	}
	many := bloc(make([]Membership, MaxMembers+1)...)
	if errs := many.Validate(); errs.On("members") == "" {
		t.Errorf("%d members: %v, want an error on members", MaxMembers+1, errs)
	}
}

func TestBlocCycle(t *testing.T) {
	g := BlocGraph{"x": {"y", "a"}, "y": {"z"}, "z": {"b"}}
	tests := []struct {
		name    string
		bloc    string
		members []string
		want    int
	}{
		{"itself", "x", []string{"a", "x"}, 1},
		{"through two blocs", "z", []string{"b", "x"}, 1},
		{"a member of a member is fine", "w", []string{"x", "y"}, -1},
		{"no blocs", "q", []string{"a", "b"}, -1},
	}
	for _, tt := range tests {
		var ms []Membership
		for _, id := range tt.members {
			ms = append(ms, Membership{PartyID: id})
		}
		if got := BlocCycle(tt.bloc, ms, g); got != tt.want {
			t.Errorf("%s: BlocCycle = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func findCell(t *testing.T, m *Matrix, topic, party string) MatrixCell {
	t.Helper()
	for _, c := range m.Cells {
		if c.TopicID == topic && c.PartyID == party {
			return c
		}
	}
	t.Fatalf("no cell (%s, %s)", topic, party)
	return MatrixCell{}
}

func demandIDs(ds []*Demand) []string {
	var ids []string
	for _, d := range ds {
		ids = append(ids, d.ID)
	}
	return ids
}

func TestMatrixInheritsAndMarksDivergence(t *testing.T) {
	m, err := BuildMatrixView(blocSnapshot(), MatrixOptions{Today: bxToday})
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	for _, p := range m.Parties {
		cols = append(cols, p.ID)
	}
	if want := []string{bxG77, bxA, bxB, bxC, bxD, bxHost}; !reflect.DeepEqual(cols, want) {
		t.Fatalf("columns = %v, want %v: a party with two roles is one column", cols, want)
	}
	if host := m.Parties[5]; !reflect.DeepEqual(host.Roles, []ParticipantRole{"host", "mediator"}) || host.Role != "host" {
		t.Errorf("host column roles = %v (role %q), want [host mediator]", host.Roles, host.Role)
	}
	tests := []struct {
		name          string
		topic, party  string
		inheritedFrom []string
		inherited     []string // demand ids
		divergesFrom  []string
	}{
		{"a silent member inherits its bloc's demand", bxT1, bxA, []string{bxG77}, []string{bxG1}, nil},
		{"a member with its own demand diverges", bxT1, bxC, nil, nil, []string{bxG77}},
		{"a former member inherits nothing", bxT1, bxB, nil, nil, nil},
		{"a party in no bloc inherits nothing", bxT1, bxD, nil, nil, nil},
		{"a member endorsing its bloc is aligned, not inheriting", bxT2, bxA, nil, nil, nil},
		{"a member objecting to its bloc's demand diverges", bxT2, bxC, nil, nil, []string{bxG77}},
		{"the bloc itself", bxT1, bxG77, nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := findCell(t, m, tt.topic, tt.party)
			var from, inherited []string
			for _, in := range c.Inherited {
				from = append(from, in.BlocID)
				inherited = append(inherited, demandIDs(in.Demands)...)
			}
			if !reflect.DeepEqual(from, tt.inheritedFrom) || !reflect.DeepEqual(inherited, tt.inherited) {
				t.Errorf("inherited from %v demands %v, want %v %v", from, inherited, tt.inheritedFrom, tt.inherited)
			}
			if !reflect.DeepEqual(c.DivergesFrom, tt.divergesFrom) {
				t.Errorf("diverges from %v, want %v", c.DivergesFrom, tt.divergesFrom)
			}
		})
	}
	// As of 2023 Beta was still a member, and so inherits.
	s := blocSnapshot()
	s.AsOf = time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)
	old, err := BuildMatrixView(s, MatrixOptions{Today: bxToday})
	if err != nil {
		t.Fatal(err)
	}
	if c := findCell(t, old, bxT1, bxB); len(c.Inherited) != 1 {
		t.Errorf("as of 2023 Beta inherits %v, want the bloc's position", c.Inherited)
	}
}

func TestMatrixGroupByBloc(t *testing.T) {
	m, err := BuildMatrixView(blocSnapshot(), MatrixOptions{GroupBy: "bloc", Today: bxToday})
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	for _, p := range m.Parties {
		cols = append(cols, p.ID)
	}
	if want := []string{bxG77, bxB, bxD, bxHost}; !reflect.DeepEqual(cols, want) {
		t.Fatalf("columns = %v, want the bloc, then the participants in no bloc %v", cols, want)
	}
	if want := []string{bxA, bxC}; !reflect.DeepEqual(m.Parties[0].Grouped, want) {
		t.Errorf("the bloc stands for %v, want %v", m.Parties[0].Grouped, want)
	}
	t1 := findCell(t, m, bxT1, bxG77)
	if got, want := demandIDs(t1.Demands), []string{bxG1, bxC1}; !reflect.DeepEqual(got, want) || !reflect.DeepEqual(t1.DivergentMembers, []string{bxC}) {
		t.Errorf("T1 bloc cell: demands %v divergent %v, want %v and [Gamma]", got, t1.DivergentMembers, want)
	}
	t2 := findCell(t, m, bxT2, bxG77)
	if len(t2.Objections) != 1 || t2.Objections[0].ID != bxObjC || len(t2.Endorsements) != 0 {
		t.Errorf("T2 bloc cell: objections %v endorsements %v, want Gamma's objection only (Alpha's endorsement agrees)", t2.Objections, t2.Endorsements)
	}
}

func TestMatrixFilters(t *testing.T) {
	columns := func(m *Matrix) (ids []string) {
		for _, p := range m.Parties {
			ids = append(ids, p.ID)
		}
		return ids
	}
	topics := func(m *Matrix) (ids []string) {
		for _, tp := range m.Topics {
			ids = append(ids, tp.ID)
		}
		return ids
	}
	tests := []struct {
		name              string
		o                 MatrixOptions
		columns, topics   []string
		summaries, nCells int
	}{
		{"by role", MatrixOptions{Roles: []string{"mediator"}}, []string{bxHost}, []string{bxT1, bxT2}, 2, 2},
		{"by topic", MatrixOptions{TopicIDs: []string{bxT2}}, []string{bxG77, bxA, bxB, bxC, bxD, bxHost}, []string{bxT2}, 1, 6},
		{"by state", MatrixOptions{States: []string{"contested"}}, []string{bxG77, bxA, bxB, bxC, bxD, bxHost}, []string{bxT2}, 1, 6},
		{"by role and party", MatrixOptions{Roles: []string{"principal"}, PartyIDs: []string{bxD, bxA}}, []string{bxD, bxA}, []string{bxT1, bxT2}, 2, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.o.Today = bxToday
			m, err := BuildMatrixView(blocSnapshot(), tt.o)
			if err != nil {
				t.Fatal(err)
			}
			if got := columns(m); !reflect.DeepEqual(got, tt.columns) {
				t.Errorf("columns = %v, want %v", got, tt.columns)
			}
			if got := topics(m); !reflect.DeepEqual(got, tt.topics) {
				t.Errorf("topics = %v, want %v", got, tt.topics)
			}
			if len(m.TopicSummaries) != tt.summaries || len(m.Cells) != tt.nCells {
				t.Errorf("%d summaries and %d cells, want %d and %d", len(m.TopicSummaries), len(m.Cells), tt.summaries, tt.nCells)
			}
		})
	}
	bad := []struct {
		name  string
		o     MatrixOptions
		field string
	}{
		{"group_by", MatrixOptions{GroupBy: "region"}, "group_by"},
		{"role", MatrixOptions{Roles: []string{"referee"}}, "role"},
		{"state", MatrixOptions{States: []string{"stuck"}}, "state"},
		{"topic", MatrixOptions{TopicIDs: []string{fxCeasefire}}, "topic_id"},
		{"a party not among the columns", MatrixOptions{Roles: []string{"host"}, PartyIDs: []string{bxA}}, "party_id"},
	}
	for _, tt := range bad {
		_, err := BuildMatrixView(blocSnapshot(), tt.o)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Errors.On(tt.field) == "" {
			t.Errorf("%s: %v, want a validation error on %s", tt.name, err, tt.field)
		}
	}
}

func TestCompactMatrix(t *testing.T) {
	m, err := BuildMatrixView(blocSnapshot(), MatrixOptions{Today: bxToday})
	if err != nil {
		t.Fatal(err)
	}
	c := m.Compact(true)
	if !c.Compact || len(c.Parties) != 6 || len(c.Topics) != 2 {
		t.Fatalf("compact: %d parties %d topics", len(c.Parties), len(c.Topics))
	}
	got := map[[2]string]CompactCell{}
	for _, cell := range c.Cells {
		got[[2]string{c.Topics[cell.T].ID, c.Parties[cell.P].ID}] = cell
	}
	// T1: the bloc's and Gamma's demands, Alpha inheriting; T2: the bloc's
	// demand, Alpha's endorsement, Gamma's objection, the host's demand.
	if len(got) != 7 {
		t.Errorf("%d non-empty cells, want 7: %+v", len(got), c.Cells)
	}
	// The bloc is column 0.
	if a := got[[2]string{bxT1, bxA}]; !reflect.DeepEqual(a.In, []int{0}) {
		t.Errorf("Alpha on T1 inherits from %v, want [0]", a.In)
	}
	if g := got[[2]string{bxT2, bxC}]; g.O != 1 || g.SO != 1 || !reflect.DeepEqual(g.Dv, []int{0}) {
		t.Errorf("Gamma on T2: %+v", g)
	}
	if d := got[[2]string{bxT1, bxG77}]; len(d.D) != 1 || d.D[0].Title != "$1.3 trillion a year" || d.D[0].Status != "tabled" {
		t.Errorf("the bloc on T1: %+v", d)
	}
	if untitled := m.Compact(false); untitled.Cells[0].D[0].Title != "" {
		t.Error("titles are added only when asked for")
	}
}

func TestResolvePartyNames(t *testing.T) {
	parties := []*Party{
		{Meta: Meta{ID: bxA}, Name: "Alpha", ShortName: "ALP", Aliases: []string{"Republic of Alpha"}},
		{Meta: Meta{ID: bxB}, Name: "Beta"},
	}
	ids, unknown := ResolvePartyNames(strings.Split("alpha\n republic of ALPHA \n\nBeta\nGondor\nALP", "\n"), parties)
	if want := []string{bxA, bxB}; !reflect.DeepEqual(ids, want) {
		t.Errorf("ids = %v, want %v", ids, want)
	}
	if want := []string{"Gondor"}; !reflect.DeepEqual(unknown, want) {
		t.Errorf("unknown = %v, want %v", unknown, want)
	}
}

func TestMembershipsOf(t *testing.T) {
	s := blocSnapshot()
	ldc := &Party{Meta: Meta{ID: "00000000-0000-4000-8000-0000000001f4"}, Name: "Least developed countries", PartyKind: "bloc",
		Members: []Membership{{PartyID: bxB, Since: "2024-01-01"}, {PartyID: bxB, Until: "2010-12-31"}}}
	// A state listing members (which validation refuses) is no bloc.
	odd := &Party{Meta: Meta{ID: "00000000-0000-4000-8000-0000000001f5"}, Name: "Aardvark", PartyKind: "state", Members: []Membership{{PartyID: bxB}}}
	parties := append([]*Party{odd, ldc}, s.Parties...)
	tests := []struct {
		party string
		want  []string
	}{
		{bxB, []string{"G77 and China -2023-12-31", "Least developed countries -2010-12-31", "Least developed countries 2024-01-01-"}},
		{bxA, []string{"G77 and China 1964-06-15-"}},
		{bxD, nil},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range MembershipsOf(tt.party, parties) {
			got = append(got, m.Bloc.Name+" "+m.Since+"-"+m.Until)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.party, got, tt.want)
		}
	}
}
