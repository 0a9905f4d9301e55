package report

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parley/parley/domain"
)

// The timeline picture is laid out once, as shapes in the units of an
// 800-wide canvas, and then written as SVG (the UI and the HTML report) or
// drawn with fpdf (the PDF report), so the two cannot drift apart.

// figure is one chart: its shapes and what it is, for <title> and <desc>.
type figure struct {
	ID            string
	Title, Desc   string
	Width, Height float64
	Shapes        []shape
}

type shapeKind int

const (
	shapeRect shapeKind = iota
	shapeLine
	shapePolyline
	shapeText
)

// paint is a colour, or none when !ok.
type paint struct {
	rgb [3]int
	ok  bool
}

func solid(c [3]int) paint { return paint{rgb: c, ok: true} }

func (p paint) hex() string {
	if !p.ok {
		return "none"
	}
	return fmt.Sprintf("#%02x%02x%02x", p.rgb[0], p.rgb[1], p.rgb[2])
}

type point struct{ X, Y float64 }

// shape is a rect (X, Y, W, H), a line (X, Y to X2, Y2), a polyline
// (Points) or a text whose baseline starts, centres or ends at X, Y.
type shape struct {
	Kind        shapeKind
	X, Y, W, H  float64
	X2, Y2      float64
	Points      []point
	Fill        paint
	Stroke      paint
	StrokeWidth float64
	Dash        []float64
	Text        string
	Size        float64
	Anchor      string // "start", "middle" or "end"
	Bold        bool
	// Tooltip is shown on hover in SVG (a <title> child); print has none.
	Tooltip string
}

// Canvas geometry. Every chart shares the date axis, from plotLeft to
// plotRight, so that charts stacked on a page line up by date.
const (
	canvasWidth = 800.0
	plotLeft    = 220.0
	plotRight   = 780.0
	labelLeft   = 8.0
	laneHeight  = 14.0
	rowHeight   = 18.0
	barHeight   = 14.0
	axisHeight  = 34.0
	termPlotH   = 150.0
	fontSmall   = 9.0
	fontLabel   = 11.0
)

// Caps that keep the picture readable at conference scale (120 topics,
// 200 parties): the rest is counted in a note, never silently dropped.
const (
	maxStateRows  = 40
	maxTermCharts = 12
	maxSeries     = 8
	maxRoundLanes = 3
)

var (
	ink        = [3]int{27, 31, 36}
	muted      = [3]int{91, 100, 112}
	gridColour = [3]int{213, 217, 222}
	roundShade = [3]int{238, 241, 245}
	white      = [3]int{255, 255, 255}
)

// seriesColours are the Okabe–Ito colours, told apart by most readers with
// a colour vision deficiency; seriesDashes tell lines apart in grey print.
var (
	seriesColours = [][3]int{{0, 114, 178}, {213, 94, 0}, {0, 158, 115}, {204, 121, 167}, {230, 159, 0}, {86, 180, 233}, {0, 0, 0}, {136, 34, 85}}
	seriesDashes  = [][]float64{nil, {6, 3}, {2, 2}, {8, 3, 2, 3}, nil, {6, 3}, {2, 2}, {8, 3, 2, 3}}
)

// timeAxis maps negotiation time onto the plot's x. It runs a little past
// the timeline's end, so that a state or a value that took effect last is
// still seen to hold rather than being a sliver at the edge.
type timeAxis struct {
	start, end, drawnEnd time.Time
}

// axisOverrun is how far past its end the axis is drawn, as a share of it.
const axisOverrun = 0.04

func newTimeAxis(tl *domain.Timeline) timeAxis {
	a := timeAxis{start: tl.Start.UTC(), end: tl.End.UTC()}
	if !a.end.After(a.start) {
		// One instant: show the day around it.
		a.start = a.start.Add(-12 * time.Hour)
		a.end = a.start.Add(24 * time.Hour)
	}
	a.drawnEnd = a.end.Add(time.Duration(float64(a.end.Sub(a.start)) * axisOverrun))
	return a
}

func (a timeAxis) x(t time.Time) float64 {
	f := float64(t.Sub(a.start)) / float64(a.drawnEnd.Sub(a.start))
	return plotLeft + math.Max(0, math.Min(1, f))*(plotRight-plotLeft)
}

// xTo is where something that holds until t ends: the edge of the plot
// when it holds to the end of the timeline.
func (a timeAxis) xTo(t time.Time) float64 {
	if !t.Before(a.end) {
		return plotRight
	}
	return a.x(t)
}

// tickSteps are the spacings the axis may use, smallest first; months and
// years are calendar steps.
var tickSteps = []struct {
	d      time.Duration
	months int
	layout string
}{
	{time.Hour, 0, "2 Jan 15:04"}, {3 * time.Hour, 0, "2 Jan 15:04"}, {6 * time.Hour, 0, "2 Jan 15:04"},
	{12 * time.Hour, 0, "2 Jan 15:04"}, {24 * time.Hour, 0, "2 Jan"}, {48 * time.Hour, 0, "2 Jan"},
	{7 * 24 * time.Hour, 0, "2 Jan"}, {14 * 24 * time.Hour, 0, "2 Jan"}, {0, 1, "Jan 2006"}, {0, 3, "Jan 2006"},
	{0, 6, "Jan 2006"}, {0, 12, "2006"}, {0, 24, "2006"}, {0, 60, "2006"}, {0, 120, "2006"},
}

type tick struct {
	at    time.Time
	label string
}

// ticks picks the smallest step that puts at most one tick per 80 units.
func (a timeAxis) ticks() []tick {
	most := int((plotRight - plotLeft) / 80)
	for _, s := range tickSteps {
		ts := a.ticksOf(s.d, s.months, s.layout)
		if len(ts) <= most {
			return ts
		}
	}
	return nil
}

func (a timeAxis) ticksOf(d time.Duration, months int, layout string) []tick {
	var t time.Time
	y, m, dd := a.start.Date()
	if months > 0 {
		t = time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
		if months >= 12 {
			t = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		}
	} else {
		t = time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
	}
	var out []tick
	for ; !t.After(a.end); t = next(t, d, months) {
		if !t.Before(a.start) {
			out = append(out, tick{at: t, label: t.Format(layout)})
		}
		if len(out) > 64 {
			break
		}
	}
	return out
}

func next(t time.Time, d time.Duration, months int) time.Time {
	if months > 0 {
		return t.AddDate(0, months, 0)
	}
	return t.Add(d)
}

// textWidth estimates how wide a text is drawn: enough to keep labels
// apart, with no font metrics at hand in the SVG.
func textWidth(s string, size float64) float64 {
	return float64(utf8.RuneCountInString(s)) * size * 0.56
}

// fitText shortens s with an ellipsis until it fits width.
func fitText(s string, size, width float64) string {
	if textWidth(s, size) <= width {
		return s
	}
	r := []rune(s)
	n := int(width/(size*0.56)) - 1
	if n < 1 {
		return ""
	}
	if n > len(r) {
		n = len(r)
	}
	return strings.TrimSpace(string(r[:n])) + "…"
}

func text(x, y float64, s string, size float64, anchor string, colour [3]int) shape {
	return shape{Kind: shapeText, X: x, Y: y, Text: s, Size: size, Anchor: anchor, Fill: solid(colour)}
}

func rect(x, y, w, h float64, fill [3]int) shape {
	return shape{Kind: shapeRect, X: x, Y: y, W: w, H: h, Fill: solid(fill)}
}

func line(x, y, x2, y2 float64, colour [3]int, width float64) shape {
	return shape{Kind: shapeLine, X: x, Y: y, X2: x2, Y2: y2, Stroke: solid(colour), StrokeWidth: width}
}

// roundShapes shades each round across the plot from top to bottom and
// labels it in lanes above top, moving a label down a lane rather than
// over its neighbour. It returns the shapes and the lanes used.
func roundShapes(a timeAxis, rounds []domain.TimelineRound, top, bottom float64, maxLanes int) ([]shape, int) {
	var shapes, labels []shape
	laneEnd := make([]float64, maxLanes)
	for i := range laneEnd {
		laneEnd[i] = math.Inf(-1)
	}
	used := 0
	for _, r := range rounds {
		x0, x1 := a.x(r.Start), a.x(r.End)
		if x1-x0 < 2 {
			x1 = x0 + 2
		}
		sh := rect(x0, top, x1-x0, bottom-top, roundShade)
		sh.Tooltip = r.Title
		shapes = append(shapes, sh, line(x0, top, x0, bottom, gridColour, 0.8))
		// A label starts at its round, or near the right edge ends at it.
		label := fitText(r.Title, fontSmall, canvasWidth-plotLeft)
		w := textWidth(label, fontSmall)
		from, anchor, ax := x0, "start", x0+1
		if x0+w > canvasWidth-4 {
			ax = math.Max(math.Min(x1, canvasWidth-4), plotLeft+w)
			from, anchor = ax-w, "end"
		}
		for lane := range laneEnd {
			if laneEnd[lane]+6 > from {
				continue
			}
			t := text(ax, top-4-float64(lane)*laneHeight, label, fontSmall, anchor, muted)
			t.Tooltip = r.Title
			labels = append(labels, t)
			laneEnd[lane] = from + w
			used = max(used, lane+1)
			break
		}
	}
	// The labels sit above the shading in lanes counted upwards from top;
	// callers reserve used lanes of space and shift them by that.
	return append(shapes, labels...), used
}

// axisShapes draws the date ticks below a plot, with gridlines up to top.
func axisShapes(a timeAxis, top, bottom float64) []shape {
	shapes := []shape{line(plotLeft, bottom, plotRight, bottom, muted, 1)}
	for _, t := range a.ticks() {
		x := a.x(t.at)
		shapes = append(shapes, line(x, top, x, bottom, gridColour, 0.5), line(x, bottom, x, bottom+4, muted, 1),
			text(x, bottom+16, t.label, fontSmall, "middle", muted))
	}
	caption := "Negotiation time (UTC), " + formatWhen(a.start) + " to " + formatWhen(a.end)
	shapes = append(shapes, text(plotRight, bottom+30, caption, fontSmall, "end", muted))
	return shapes
}

// formatWhen writes an instant of negotiation time for readers: a date
// alone at the start or end of a day, else the time too.
func formatWhen(t time.Time) string {
	t = t.UTC()
	if t.Equal(t.Truncate(24*time.Hour)) || t.Equal(domain.EndOfDay(t)) {
		return t.Format("2 Jan 2006")
	}
	return t.Format("2 Jan 2006 15:04 UTC")
}

// shift moves every shape down by dy.
func shift(shapes []shape, dy float64) []shape {
	for i := range shapes {
		s := &shapes[i]
		s.Y += dy
		s.Y2 += dy
		for j := range s.Points {
			s.Points[j].Y += dy
		}
	}
	return shapes
}

// topicMoves counts how much a topic moved: state changes and every point
// of its terms' lines after the first.
func topicMoves(t domain.TimelineTopic) int {
	n := max(len(t.Bands)-1, 0)
	for _, tr := range t.Terms {
		n += termMoves(tr)
	}
	return n
}

func termMoves(tr domain.TermTrack) int {
	n := 0
	for _, s := range tr.Series {
		n += max(len(s.Points)-1, 0)
	}
	return n
}

// stateRows picks the topics the state chart draws: all of them, or past
// the cap the ones that moved most, kept in the matrix's order.
func stateRows(topics []domain.TimelineTopic) []domain.TimelineTopic {
	if len(topics) <= maxStateRows {
		return topics
	}
	idx := make([]int, len(topics))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return topicMoves(topics[idx[i]]) > topicMoves(topics[idx[j]]) })
	idx = idx[:maxStateRows]
	sort.Ints(idx)
	out := make([]domain.TimelineTopic, len(idx))
	for i, k := range idx {
		out[i] = topics[k]
	}
	return out
}

// stateFigure lays out the rounds and each topic's state bands.
func stateFigure(a timeAxis, tl *domain.Timeline, rows []domain.TimelineTopic) figure {
	const legendH = 26.0
	top := laneHeight * maxRoundLanes
	bottom := top + math.Max(float64(len(rows)), 1)*rowHeight + 4
	rounds, lanes := roundShapes(a, tl.Rounds, top, bottom, maxRoundLanes)
	var shapes []shape
	shapes = append(shapes, rounds...)
	shapes = append(shapes, axisShapes(a, top, bottom)...)
	for i, t := range rows {
		y := top + 4 + float64(i)*rowHeight
		label := text(labelLeft, y+barHeight-3, fitText(t.Title, fontLabel, plotLeft-labelLeft-8), fontLabel, "start", ink)
		label.Tooltip = t.Title
		shapes = append(shapes, label)
		for _, b := range t.Bands {
			x0, x1 := a.x(b.From), a.xTo(b.To)
			w := math.Max(x1-x0, 1.5)
			bar := rect(x0, y, w, barHeight, stateColor[b.State])
			bar.Tooltip = fmt.Sprintf("%s: %s from %s to %s", t.Title, b.State, formatWhen(b.From), formatWhen(b.To))
			shapes = append(shapes, bar)
			// The state's name where it fits, so that it never rests on
			// colour alone.
			if w >= textWidth(b.State, fontSmall)+6 {
				shapes = append(shapes, text(x0+w/2, y+barHeight-4, b.State, fontSmall, "middle", white))
			}
		}
	}
	if len(rows) == 0 {
		shapes = append(shapes, text(plotLeft, top+14, "No topics recorded.", fontLabel, "start", muted))
	}
	legendY := bottom + axisHeight + 8
	x := plotLeft
	shapes = append(shapes, text(labelLeft, legendY+10, "Topic state:", fontSmall, "start", muted))
	for _, st := range domain.TopicStates().Strings() {
		shapes = append(shapes, rect(x, legendY, 14, 12, stateColor[st]), text(x+18, legendY+10, st, fontSmall, "start", ink))
		x += 26 + textWidth(st, fontSmall)
	}
	// Round labels used fewer lanes than reserved: take up the slack.
	slack := laneHeight * float64(maxRoundLanes-lanes)
	shapes = shift(shapes, -slack)
	return figure{
		ID: "timeline-states", Width: canvasWidth, Height: legendY + legendH - slack,
		Title: "Topic states over time",
		Desc: fmt.Sprintf("Each topic's state (open, convergent, contested, agreed) as coloured bands on a date axis from %s to %s, with %s shaded.",
			formatWhen(a.start), formatWhen(a.end), plural(len(tl.Rounds), "round", "rounds")),
		Shapes: shapes,
	}
}

// termChart is one numeric term of one topic to draw.
type termChart struct {
	topic  domain.TimelineTopic
	track  domain.TermTrack
	order  int
	hidden int // parties stating the term that are not drawn
}

// termCharts picks the term charts: past the cap, those whose values moved
// most, kept in topic and term order; each draws at most maxSeries
// parties, the movers first. It also returns how many were left out.
func termCharts(topics []domain.TimelineTopic) ([]termChart, int) {
	var all []termChart
	for _, t := range topics {
		for _, tr := range t.Terms {
			all = append(all, termChart{topic: t, track: tr, order: len(all)})
		}
	}
	left := 0
	if len(all) > maxTermCharts {
		sort.SliceStable(all, func(i, j int) bool {
			mi, mj := termMoves(all[i].track), termMoves(all[j].track)
			if mi != mj {
				return mi > mj
			}
			return len(all[i].track.Series) > len(all[j].track.Series)
		})
		left = len(all) - maxTermCharts
		all = all[:maxTermCharts]
		sort.SliceStable(all, func(i, j int) bool { return all[i].order < all[j].order })
	}
	for i := range all {
		all[i].track.Series, all[i].hidden = drawnSeries(all[i].track.Series)
	}
	return all, left
}

// drawnSeries keeps at most maxSeries lines, those that moved most, in the
// order given.
func drawnSeries(series []domain.TermSeries) ([]domain.TermSeries, int) {
	if len(series) <= maxSeries {
		return series, 0
	}
	idx := make([]int, len(series))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return len(series[idx[i]].Points) > len(series[idx[j]].Points) })
	idx = idx[:maxSeries]
	sort.Ints(idx)
	out := make([]domain.TermSeries, len(idx))
	for i, k := range idx {
		out[i] = series[k]
	}
	return out, len(series) - maxSeries
}

// valueAxis maps a term's values onto the plot's y, from bottom up.
type valueAxis struct {
	lo, hi, top, bottom float64
}

func newValueAxis(series []domain.TermSeries, top, bottom float64) valueAxis {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for _, p := range s.Points {
			if p.Value != nil {
				lo, hi = math.Min(lo, *p.Value), math.Max(hi, *p.Value)
			}
		}
	}
	if math.IsInf(lo, 0) {
		lo, hi = 0, 1
	}
	pad := (hi - lo) * 0.12
	if pad == 0 {
		pad = math.Max(math.Abs(hi)*0.1, 1)
	}
	return valueAxis{lo: lo - pad, hi: hi + pad, top: top, bottom: bottom}
}

func (v valueAxis) y(f float64) float64 {
	return v.bottom - (f-v.lo)/(v.hi-v.lo)*(v.bottom-v.top)
}

// ticks are about four round values inside the axis.
func (v valueAxis) ticks() []float64 {
	raw := (v.hi - v.lo) / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var out []float64
	for t := math.Ceil(v.lo/step) * step; t <= v.hi; t += step {
		out = append(out, t)
	}
	return out
}

// labelBoxes keeps value labels from being drawn over each other.
type labelBoxes []([4]float64)

func (b *labelBoxes) place(x, y, w, h float64) bool {
	for _, o := range *b {
		if x < o[0]+o[2] && o[0] < x+w && y-h < o[1] && o[1]-o[3] < y {
			return false
		}
	}
	*b = append(*b, [4]float64{x, y, w, h})
	return true
}

// termFigure lays out one term's step lines with a legend of parties in
// the left column and value labels at each step.
func termFigure(a timeAxis, tl *domain.Timeline, c termChart, n int) figure {
	top := laneHeight
	legendRows := float64(len(c.track.Series))*16 + 8
	bottom := top + math.Max(termPlotH, legendRows)
	va := newValueAxis(c.track.Series, top+8, bottom-8)
	rounds, lanes := roundShapes(a, tl.Rounds, top, bottom, 1)
	var shapes []shape
	shapes = append(shapes, rounds...)
	shapes = append(shapes, axisShapes(a, top, bottom)...)
	for _, t := range va.ticks() {
		y := va.y(t)
		shapes = append(shapes, line(plotLeft, y, plotRight, y, gridColour, 0.5),
			text(plotLeft-4, y+3, domain.FormatTerm(t), fontSmall, "end", muted))
	}
	var boxes labelBoxes
	for i, s := range c.track.Series {
		colour, dash := seriesColours[i%len(seriesColours)], seriesDashes[i%len(seriesDashes)]
		ly := top + 12 + float64(i)*16
		key := line(labelLeft, ly-4, labelLeft+22, ly-4, colour, 2.5)
		key.Dash = dash
		name := text(labelLeft+28, ly, fitText(s.Party, fontLabel, plotLeft-labelLeft-70), fontLabel, "start", ink)
		name.Tooltip = s.Party
		shapes = append(shapes, key, name)
		shapes = append(shapes, seriesShapes(a, va, s, colour, dash, &boxes)...)
	}
	slack := laneHeight * float64(1-lanes)
	shapes = shift(shapes, -slack)
	title := c.topic.Title + ": " + termName(c.track.Term)
	return figure{
		ID: fmt.Sprintf("timeline-term-%d", n), Width: canvasWidth, Height: bottom + axisHeight + 6 - slack,
		Title: title,
		Desc: fmt.Sprintf("Step lines of each party's value of %s on %s over negotiation time, %s to %s.",
			termName(c.track.Term), c.topic.Title, formatWhen(a.start), formatWhen(a.end)),
		Shapes: shapes,
	}
}

// seriesShapes draws one party's value as a step line: level from each
// point to the next, broken where the party stops stating the term, which
// is marked with a cross and the reason.
func seriesShapes(a timeAxis, va valueAxis, s domain.TermSeries, colour [3]int, dash []float64, boxes *labelBoxes) []shape {
	var shapes []shape
	var run []point
	flush := func() {
		if len(run) > 1 {
			shapes = append(shapes, shape{Kind: shapePolyline, Points: run, Stroke: solid(colour), StrokeWidth: 2.5, Dash: dash})
		}
		run = nil
	}
	for i, p := range s.Points {
		x := a.x(p.At)
		if p.Value == nil {
			if len(run) > 0 {
				y := run[len(run)-1].Y
				run = append(run, point{x, y})
				flush()
				shapes = append(shapes, line(x-4, y-4, x+4, y+4, colour, 2), line(x-4, y+4, x+4, y-4, colour, 2))
				if t, ok := valueLabel(endedText(p.Ended), x, y+4, 6, colour, boxes); ok {
					shapes = append(shapes, t)
				}
			}
			continue
		}
		y := va.y(*p.Value)
		if len(run) > 0 {
			run = append(run, point{x, run[len(run)-1].Y})
		}
		run = append(run, point{x, y})
		mark := rect(x-2.5, y-2.5, 5, 5, colour)
		mark.Tooltip = fmt.Sprintf("%s: %s from %s", s.Party, domain.FormatTerm(*p.Value), formatWhen(p.At))
		shapes = append(shapes, mark)
		for _, dy := range []float64{-5, 13} {
			if t, ok := valueLabel(domain.FormatTerm(*p.Value), x, y+dy, 3, colour, boxes); ok {
				shapes = append(shapes, t)
				break
			}
		}
		if i == len(s.Points)-1 {
			run = append(run, point{plotRight, y})
		}
	}
	flush()
	return shapes
}

// valueLabel places a label gap units right of x, or left of it where it
// would run off the canvas, unless it would cover a label already placed.
func valueLabel(label string, x, y, gap float64, colour [3]int, boxes *labelBoxes) (shape, bool) {
	w := textWidth(label, fontSmall)
	left, anchor, ax := x+gap, "start", x+gap
	if left+w > canvasWidth-2 {
		left, anchor, ax = x-gap-w, "end", x-gap
	}
	if !boxes.place(left, y, w, fontSmall) {
		return shape{}, false
	}
	return text(ax, y, label, fontSmall, anchor, colour), true
}
