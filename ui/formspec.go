package ui

import (
	"github.com/parley/parley/domain"
)

// Input types of a form field. Compound types (lines, members, terms) are a
// textarea read line by line; participants and citations are repeated rows.
const (
	inText         = "text"
	inTextarea     = "textarea"
	inDate         = "date"
	inNumber       = "number"
	inURL          = "url"
	inSelect       = "select"
	inHidden       = "hidden"
	inLines        = "lines"
	inMembers      = "members"
	inTerms        = "terms"
	inTermDefs     = "termdefs"
	inParticipants = "participants"
	inBlocMembers  = "blocmembers"
	inCitations    = "citations"
)

// Sources of options for reference selects, resolved against the
// negotiation the form belongs to.
const (
	refParticipant = "participant" // the negotiation's participants
	refTopic       = "topic"
	refRound       = "round"
	refDemand      = "demand"
	refObjection   = "objection"
)

// fieldSpec describes one input of a resource's form. Name is the JSON field
// name, so that a domain.FieldError lands beside the input it is about.
type fieldSpec struct {
	Name     string
	Label    string
	Type     string
	Required bool
	Help     string
	Enum     []string // options of an enumeration select
	Ref      string   // options of a reference select
	Optional bool     // a select that may be left empty
}

// formSpecs lists, per kind, the inputs of its create and edit form, in the
// order an analyst fills them in.
var formSpecs = map[domain.Kind][]fieldSpec{
	domain.KindParty: {
		{Name: "name", Label: "Name", Type: inText, Required: true},
		{Name: "short_name", Label: "Short name", Type: inText, Help: "Shown where space is tight, e.g. in the matrix."},
		{Name: "kind", Label: "Kind", Type: inSelect, Enum: domain.PartyKinds().Strings()},
		{Name: "aliases", Label: "Aliases", Type: inLines, Help: "Other names it goes by, one per line."},
		{Name: "members", Label: "Members (a bloc only)", Type: inBlocMembers,
			Help: "The parties a bloc negotiates for: paste names or aliases, one per line, or pick one below. " +
				"A membership that starts or ends: Name | since | until, e.g. India | 1964-06-15 or Malta | | 2004-04-30."},
		{Name: "notes", Label: "Notes", Type: inTextarea},
	},
	domain.KindNegotiation: {
		{Name: "title", Label: "Title", Type: inText, Required: true},
		{Name: "description", Label: "Description", Type: inTextarea},
		{Name: "status", Label: "Status", Type: inSelect, Enum: domain.NegotiationStatuses().Strings()},
		{Name: "started_on", Label: "Started on", Type: inDate, Help: dayHelp},
		{Name: "participants", Label: "Participants", Type: inParticipants, Help: "Each party at the table and its role. Leave unused rows empty."},
		{Name: "handling", Label: "Handling", Type: inSelect, Enum: domain.HandlingMarkings().Strings(), Help: "Traffic Light Protocol 2.0: how widely what is recorded here may be shared; everything in it that gives none carries this one. TLP:AMBER unless chosen."},
	},
	domain.KindRound: {
		{Name: "negotiation_id", Label: "Negotiation", Type: inHidden, Required: true},
		{Name: "title", Label: "Title", Type: inText, Required: true},
		{Name: "starts_on", Label: "Starts on", Type: inDate, Required: true, Help: dayHelp},
		{Name: "ends_on", Label: "Ends on", Type: inDate, Help: dayHelp + " Leave it empty for a one-day round."},
		{Name: "location", Label: "Location", Type: inText, Help: "City or region."},
		{Name: "venue", Label: "Venue", Type: inText},
		{Name: "format", Label: "Format", Type: inSelect, Enum: domain.RoundFormats().Strings()},
		{Name: "host_party_id", Label: "Host", Type: inSelect, Ref: refParticipant, Optional: true},
		{Name: "summary", Label: "Summary", Type: inTextarea},
	},
	domain.KindDelegation: {
		{Name: "round_id", Label: "Round", Type: inSelect, Ref: refRound, Required: true},
		{Name: "party_id", Label: "Party", Type: inSelect, Ref: refParticipant, Required: true},
		{Name: "head_name", Label: "Head of delegation", Type: inText},
		{Name: "head_title", Label: "Head's title", Type: inText},
		{Name: "level", Label: "Level", Type: inSelect, Enum: domain.DelegationLevels().Strings()},
		{Name: "members", Label: "Members", Type: inMembers, Help: "One per line: Name — Title (the title is optional)."},
		{Name: "notes", Label: "Notes", Type: inTextarea},
	},
	domain.KindTopic: {
		{Name: "negotiation_id", Label: "Negotiation", Type: inHidden, Required: true},
		{Name: "title", Label: "Title", Type: inText, Required: true},
		{Name: "category", Label: "Category", Type: inSelect, Enum: domain.CategoryKeys().Strings(), Optional: true, Help: "What the topic is about in the shared taxonomy, so that it compares with other negotiations' topics."},
		{Name: "description", Label: "Description", Type: inTextarea},
		{Name: "sort_order", Label: "Sort order", Type: inNumber, Help: "Lower numbers come first in the matrix."},
		{Name: "term_definitions", Label: "Term definitions", Type: inTermDefs, Help: "The terms every party's demands on this topic are compared on, one per line: " +
			"key | label | type | unit or currency | choices. Types: number, money, percent, boolean, choice, date, text. " +
			"E.g. duration_days | Ceasefire duration | number | days, or exchange | Prisoner exchange | choice | | complete=All for all; partial=Partial."},
	},
	domain.KindDemand: {
		{Name: "negotiation_id", Label: "Negotiation", Type: inHidden, Required: true},
		{Name: "party_id", Label: "Demanding party", Type: inSelect, Ref: refParticipant, Required: true},
		{Name: "topic_id", Label: "Topic", Type: inSelect, Ref: refTopic, Required: true},
		{Name: "title", Label: "Title", Type: inText, Required: true},
		{Name: "details", Label: "Details", Type: inTextarea},
		{Name: "terms", Label: "Terms", Type: inTerms, Help: "One per line: name = value. Numbers and true/false are read as such; put text in quotes to keep it text."},
		{Name: "status", Label: "Status", Type: inSelect, Enum: domain.DemandStatuses().Strings()},
		{Name: "priority", Label: "Priority", Type: inSelect, Enum: domain.DemandPriorities().Strings()},
		{Name: "stated_on", Label: "Stated on", Type: inDate, Required: true, Help: dayHelp},
		{Name: "round_id", Label: "Round", Type: inSelect, Ref: refRound, Optional: true},
		{Name: "responds_to_id", Label: "Answers the demand", Type: inSelect, Ref: refDemand, Optional: true, Help: "A counter-demand, or a bridging proposal, answers another demand of the same topic."},
		{Name: "handling", Label: "Handling", Type: inSelect, Enum: domain.HandlingMarkings().Strings(), Optional: true, Help: handlingHelp},
		{Name: "citations", Label: "Sources", Type: inCitations},
	},
	domain.KindObjection: {
		{Name: "demand_id", Label: "Demand objected to", Type: inSelect, Ref: refDemand, Required: true},
		{Name: "party_id", Label: "Objecting party", Type: inSelect, Ref: refParticipant, Required: true},
		{Name: "grounds", Label: "Grounds", Type: inTextarea, Required: true},
		{Name: "kind", Label: "Kind", Type: inSelect, Enum: domain.ObjectionKinds().Strings()},
		{Name: "status", Label: "Status", Type: inSelect, Enum: domain.ObjectionStatuses().Strings()},
		{Name: "stated_on", Label: "Stated on", Type: inDate, Required: true, Help: dayHelp},
		{Name: "round_id", Label: "Round", Type: inSelect, Ref: refRound, Optional: true},
		{Name: "handling", Label: "Handling", Type: inSelect, Enum: domain.HandlingMarkings().Strings(), Optional: true, Help: handlingHelp},
		{Name: "citations", Label: "Sources", Type: inCitations},
	},
	domain.KindRebuttal: {
		{Name: "objection_id", Label: "Objection answered", Type: inSelect, Ref: refObjection, Required: true},
		{Name: "party_id", Label: "Answering party", Type: inSelect, Ref: refParticipant, Required: true, Help: "Any party but the objecting one."},
		{Name: "grounds", Label: "Grounds", Type: inTextarea, Required: true},
		{Name: "stated_on", Label: "Stated on", Type: inDate, Required: true, Help: dayHelp},
		{Name: "round_id", Label: "Round", Type: inSelect, Ref: refRound, Optional: true},
		{Name: "handling", Label: "Handling", Type: inSelect, Enum: domain.HandlingMarkings().Strings(), Optional: true, Help: handlingHelp},
		{Name: "citations", Label: "Sources", Type: inCitations},
	},
	domain.KindEndorsement: {
		{Name: "demand_id", Label: "Demand endorsed", Type: inSelect, Ref: refDemand, Required: true},
		{Name: "party_id", Label: "Endorsing party", Type: inSelect, Ref: refParticipant, Required: true},
		{Name: "stated_on", Label: "Stated on", Type: inDate, Required: true, Help: dayHelp},
		{Name: "note", Label: "Note", Type: inTextarea},
		{Name: "round_id", Label: "Round", Type: inSelect, Ref: refRound, Optional: true},
		{Name: "handling", Label: "Handling", Type: inSelect, Enum: domain.HandlingMarkings().Strings(), Optional: true, Help: handlingHelp},
		{Name: "citations", Label: "Sources", Type: inCitations},
	},
}

// citationSpecs are the inputs of one citation fieldset; names are
// prefixed with "citations[i]." when rendered.
var citationSpecs = []fieldSpec{
	{Name: "publisher", Label: "Publisher", Type: inText},
	{Name: "title", Label: "Title", Type: inText, Help: "A citation needs a title or a URL."},
	{Name: "url", Label: "URL", Type: inURL, Help: "http or https only."},
	{Name: "published_at", Label: "Published", Type: inText, Help: "A day (16 May 2025 or 2025-05-16) or an RFC 3339 time."},
	{Name: "locator", Label: "Locator", Type: inText, Help: "Where in the source, e.g. “08:13 AM EDT”."},
	{Name: "quote", Label: "Quote", Type: inTextarea},
	{Name: "reliability", Label: "Source reliability", Type: inSelect, Enum: domain.Reliabilities().Strings(), Optional: true, Help: "Admiralty scale: A (reliable) to F."},
	{Name: "credibility", Label: "Information credibility", Type: inSelect, Enum: domain.Credibilities().Strings(), Optional: true, Help: "Admiralty scale: 1 (confirmed) to 6."},
	{Name: "handling", Label: "Handling", Type: inSelect, Enum: domain.HandlingMarkings().Strings(), Optional: true, Help: handlingHelp},
}

// handlingHelp explains an optional marking: left empty, the
// negotiation's applies.
const handlingHelp = "Traffic Light Protocol 2.0. Left empty, the negotiation's marking applies."

// dayHelp is the help of every day input. Days are typed as text, never
// in the browser's date picker, which shows them in the browser's locale
// (01/10/2025 for 10 January, read as 1 October in Europe) and, where it
// has no picker, empties a value it cannot read.
const dayHelp = "A day, e.g. 16 May 2025 or 2025-05-16."

// dayPlaceholder is the hint inside an empty day input.
const dayPlaceholder = "e.g. 16 May 2025"

// blankParticipantRows and blankCitations are the empty rows offered after
// the filled ones, so that adding needs no JavaScript.
const (
	blankParticipantRows = 3
	blankCitations       = 1
)
