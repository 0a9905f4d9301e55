package report

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/parley/parley/domain"
)

// TimelineView is a negotiation's timeline ready for a page: each chart as
// inline SVG beside its data as tables, the text alternative for readers
// who cannot see the picture, and notes on what the caps left out. The UI
// page and the HTML report show it; the PDF report draws the same charts.
type TimelineView struct {
	Charts []TimelineChart
	Notes  []string
}

// TimelineChart is one chart with its data.
type TimelineChart struct {
	ID      string
	Heading string
	SVG     template.HTML
	Tables  []DataTable
	// Note says what this chart leaves out, "" when nothing.
	Note   string
	figure figure
}

// DataTable is a chart's data as rows of text.
type DataTable struct {
	Caption string
	Head    []string
	Rows    [][]string
}

// NewTimelineView lays the timeline out and writes each chart as SVG.
func NewTimelineView(tl *domain.Timeline) *TimelineView {
	v := layoutTimeline(tl)
	for i := range v.Charts {
		v.Charts[i].SVG = v.Charts[i].figure.svg()
	}
	return v
}

// layoutTimeline lays the timeline out: first the rounds and the topics'
// states, then one chart per numeric term, within the caps.
func layoutTimeline(tl *domain.Timeline) *TimelineView {
	a := newTimeAxis(tl)
	v := &TimelineView{}
	rows := stateRows(tl.Topics)
	states := TimelineChart{ID: "timeline-states", Heading: "Rounds and topic states",
		Tables: []DataTable{roundsTable(tl), statesTable(rows)}}
	if left := len(tl.Topics) - len(rows); left > 0 {
		states.Note = fmt.Sprintf("The chart and its table show the %d topics whose state or terms moved most, of %d; %s left out.",
			len(rows), len(tl.Topics), plural(left, "topic is", "topics are"))
	}
	states.figure = stateFigure(a, tl, rows)
	v.Charts = append(v.Charts, states)

	charts, left := termCharts(tl.Topics)
	for i, c := range charts {
		fig := termFigure(a, tl, c, i+1)
		tc := TimelineChart{ID: fig.ID, Heading: fig.Title, Tables: []DataTable{termTable(c)}, figure: fig}
		if c.hidden > 0 {
			tc.Note = fmt.Sprintf("%s also state this term; the chart and its table show the %d whose values moved most.",
				plural(c.hidden, "more party", "more parties"), len(c.track.Series))
		}
		v.Charts = append(v.Charts, tc)
	}
	switch {
	case len(charts) == 0:
		v.Notes = append(v.Notes, "No numeric term is stated on any topic, so there are no charts of values.")
	default:
		v.Notes = append(v.Notes, "Where a party has several live demands on a topic stating a term, its line follows the value it set last; a line ends where the party's demand was withdrawn or rejected or no longer states the term.")
	}
	if left > 0 {
		v.Notes = append(v.Notes, fmt.Sprintf("%s not charted: the %d charts show the terms whose values moved most.",
			plural(left, "more numeric term is", "more numeric terms are"), len(charts)))
	}
	return v
}

func roundsTable(tl *domain.Timeline) DataTable {
	t := DataTable{Caption: "Rounds", Head: []string{"Round", "From", "To"}, Rows: [][]string{}}
	for _, r := range tl.Rounds {
		t.Rows = append(t.Rows, []string{r.Title, formatWhen(r.Start), formatWhen(r.End)})
	}
	return t
}

func statesTable(topics []domain.TimelineTopic) DataTable {
	t := DataTable{Caption: "Topic states over time", Head: []string{"Topic", "State over time"}, Rows: [][]string{}}
	for _, tp := range topics {
		parts := make([]string, len(tp.Bands))
		for i, b := range tp.Bands {
			parts[i] = b.State + " from " + formatWhen(b.From)
		}
		t.Rows = append(t.Rows, []string{tp.Title, strings.Join(parts, "; ")})
	}
	return t
}

func termTable(c termChart) DataTable {
	t := DataTable{Caption: c.topic.Title + ": " + termName(c.track.Term) + ", by party", Head: []string{"Party", "Value over time"}, Rows: [][]string{}}
	for _, s := range c.track.Series {
		parts := make([]string, len(s.Points))
		for i, p := range s.Points {
			if p.Value == nil {
				parts[i] = endedText(p.Ended) + " on " + formatWhen(p.At)
			} else {
				parts[i] = domain.FormatTerm(*p.Value) + " from " + formatWhen(p.At)
			}
		}
		t.Rows = append(t.Rows, []string{s.Party, strings.Join(parts, "; ")})
	}
	return t
}

// endedText says in words why a party's line of a term ends.
func endedText(why string) string {
	switch why {
	case domain.TermEndedMoved:
		return "moved to another topic"
	case domain.TermEndedDropped:
		return "no longer stated"
	}
	return humanize(why)
}
