package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/parley/parley/domain"
)

// The grid is the matrix on paper and on the page: topics as rows, the
// participants as columns, each cell the party's stance on the topic and
// what it rests on. Every full report that draws it (pdf, html,
// markdown) reads this one view model, built from the report itself, so
// the stances are the model's (Topic.Stances) and a report cut for an
// audience holds nothing the cut left out.

// gridGroupSize is how many participants one table of the grid holds in
// the html and markdown reports: as many as the PDF's landscape page
// fits at its narrowest column, so that the three formats split alike.
const gridGroupSize = 5

// gridShortTitle bounds a demand's title in a grid cell, in characters;
// the topics section holds it whole.
const gridShortTitle = 60

// gridView is the whole grid: its column groups and the legend beside it.
type gridView struct {
	Groups []gridGroup
	States []domain.StateDefinition
	// Key says what a cell holds, for the legend.
	Key string
}

// gridGroup is one table of the grid: a run of participants, every topic.
type gridGroup struct {
	// From and To number the group's first and last participant, of Of.
	From, To, Of int
	Parties      []Party
	Rows         []gridRow
}

// Heading names the group when the grid takes more than one.
func (g gridGroup) Heading() string {
	if g.From == 1 && g.To == g.Of {
		return ""
	}
	return fmt.Sprintf("Participants %d to %d of %d", g.From, g.To, g.Of)
}

// gridRow is one topic across the group's participants.
type gridRow struct {
	Topic string
	State string
	// StateText is the state with its note: "agreed (1 secondary demand
	// still pending)".
	StateText string
	Cells     []gridCell
}

// gridCell is what one participant holds on one topic.
type gridCell struct {
	// Stance, Symbol and Word are the party's stance ("" with no stance).
	Stance, Symbol, Word string
	Lines                []gridCellLine
}

// StanceText is the stance as a cell's first line: "● demands".
func (c gridCell) StanceText() string {
	if c.Stance == "" {
		return ""
	}
	return c.Symbol + " " + c.Word
}

// gridCellLine is one position in a cell: a demand of the party with its
// status, an endorsement or a standing objection.
type gridCellLine struct {
	// Kind is "demand", "endorses" or "objects".
	Kind string
	// Mark is "+" for an endorsement, "×" for an objection, "" for a demand.
	Mark string
	Text string
}

// String is the line as printed: "+ endorses Qatar: Hostage release".
func (l gridCellLine) String() string {
	if l.Mark == "" {
		return l.Text
	}
	return l.Mark + " " + l.Text
}

// gridKey is the legend's sentence on what a cell holds.
const gridKey = "Each cell gives the party's stance on the topic, then its demands with their status, + its endorsements and × its standing objections."

// gridParties are the report's participants, the grid's columns.
func gridParties(r *Report) []Party {
	var out []Party
	for _, p := range r.Parties {
		if p.Role != "" {
			out = append(out, p)
		}
	}
	return out
}

// buildGrid lays the report out as a grid of perGroup participants a
// table; nil when there is no topic or no participant.
func buildGrid(r *Report, perGroup int) *gridView {
	parties := gridParties(r)
	if len(r.Topics) == 0 || len(parties) == 0 {
		return nil
	}
	perGroup = max(1, perGroup)
	column := make(map[string]int, len(parties))
	for i, p := range parties {
		column[p.ID] = i
	}
	// Each topic's cells are built once for every participant, then cut
	// into the groups.
	rows := make([]gridRow, len(r.Topics))
	for i, t := range r.Topics {
		rows[i] = gridRow{Topic: t.Title, State: t.State, StateText: topicStateText(t), Cells: gridCells(t, column, len(parties))}
	}
	g := &gridView{States: r.States, Key: gridKey}
	for start := 0; start < len(parties); start += perGroup {
		end := min(len(parties), start+perGroup)
		group := gridGroup{From: start + 1, To: end, Of: len(parties), Parties: parties[start:end], Rows: make([]gridRow, len(rows))}
		for i, row := range rows {
			row.Cells = row.Cells[start:end]
			group.Rows[i] = row
		}
		g.Groups = append(g.Groups, group)
	}
	return g
}

// gridCells fills one topic's cells in a single pass over its demands:
// each party's demands with their status, its endorsements of live
// demands and its standing objections to them, after its stance.
func gridCells(t Topic, column map[string]int, n int) []gridCell {
	cells := make([]gridCell, n)
	for _, s := range t.Stances {
		if c, ok := column[s.PartyID]; ok {
			info := domain.StanceInfo(s.Stance)
			cells[c].Stance, cells[c].Symbol, cells[c].Word = s.Stance, info.Symbol, strings.ToLower(info.Label)
		}
	}
	add := func(partyID string, line gridCellLine) {
		c, ok := column[partyID]
		// Two objections of a party to one demand read as one line.
		if ok && !slices.Contains(cells[c].Lines, line) {
			cells[c].Lines = append(cells[c].Lines, line)
		}
	}
	for _, d := range t.Demands {
		title := truncateText(d.Title, gridShortTitle)
		add(d.PartyID, gridCellLine{Kind: "demand", Text: humanize(d.Status) + ": " + title})
		if !liveStatus(d.Status) {
			continue
		}
		for _, e := range d.Endorsements {
			add(e.PartyID, gridCellLine{Kind: "endorses", Mark: "+", Text: "endorses " + d.Party + ": " + title})
		}
		for _, o := range d.Objections {
			if !pastObjection(o) {
				add(o.PartyID, gridCellLine{Kind: "objects", Mark: "×", Text: "objects to " + d.Party + ": " + title})
			}
		}
	}
	return cells
}

// gridFull is the grid the html and markdown reports draw.
func gridFull(r *Report) *gridView { return buildGrid(r, gridGroupSize) }
