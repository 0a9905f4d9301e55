package ttf

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
)

// ctlPoint is a point of a TrueType contour: on the outline, or the
// control point of a quadratic.
type ctlPoint struct {
	p  point
	on bool
}

// glyph is one glyph converted to TrueType: its outline in the output's
// units, encoded for the glyf table, and its metrics.
type glyph struct {
	data                   []byte // glyf entry; empty for a glyph with no outline
	xMin, yMin, xMax, yMax int
	advance                int
	points, contours       int
}

// converter turns a face's outlines, quadratic (glyf) or cubic (CFF),
// into TrueType glyphs scaled by an integer factor.
type converter struct {
	face *font.Face
	// scale multiplies every coordinate: a finer grid than the source's
	// keeps the rounding of the cubics' new points well under tol.
	scale float64
	// tol is the largest distance, in output units, between a cubic and
	// the quadratics that replace it.
	tol float64
	// reverse turns each contour round: PostScript outlines run
	// counter-clockwise around ink, TrueType ones clockwise.
	reverse bool
}

var errCoordinates = errors.New("glyph coordinates out of the TrueType range")

func (cv converter) glyph(gid font.GID) (glyph, error) {
	g := glyph{advance: int(math.Round(float64(cv.face.HorizontalAdvance(gid)) * cv.scale))}
	outline, ok := cv.face.GlyphDataOutline(gid)
	if !ok {
		return g, nil
	}
	contours := cv.contours(outline.Segments)
	if len(contours) == 0 {
		return g, nil
	}
	err := g.encode(contours)
	return g, err
}

// contours converts segments into closed TrueType contours with integer
// coordinates.
func (cv converter) contours(segs []font.Segment) [][]ctlPoint {
	var out [][]ctlPoint
	var cur []ctlPoint
	var at point
	pt := func(sp font.SegmentPoint) point {
		return point{float64(sp.X) * cv.scale, float64(sp.Y) * cv.scale}
	}
	flush := func() {
		if c := cv.finish(cur); len(c) > 0 {
			out = append(out, c)
		}
		cur = nil
	}
	for _, s := range segs {
		switch s.Op {
		case ot.SegmentOpMoveTo:
			flush()
			at = pt(s.Args[0])
			cur = append(cur, ctlPoint{at, true})
		case ot.SegmentOpLineTo:
			at = pt(s.Args[0])
			cur = append(cur, ctlPoint{at, true})
		case ot.SegmentOpQuadTo:
			at = pt(s.Args[1])
			cur = append(cur, ctlPoint{pt(s.Args[0]), false}, ctlPoint{at, true})
		case ot.SegmentOpCubeTo:
			c := [4]point{at, pt(s.Args[0]), pt(s.Args[1]), pt(s.Args[2])}
			for _, q := range cubicToQuads(c, cv.tol) {
				cur = append(cur, ctlPoint{q.ctrl, false}, ctlPoint{q.end, true})
			}
			at = c[3]
		}
	}
	flush()
	return out
}

// finish rounds a contour to integers and drops what TrueType implies:
// the closing point that repeats the first, a point that repeats the one
// before it, and an on-curve point halfway between two control points.
func (cv converter) finish(c []ctlPoint) []ctlPoint {
	// An on-curve point exactly between two control points is implied;
	// found before rounding, since it may lie half a unit off the grid.
	implied := make([]bool, len(c))
	for i := 1; i+1 < len(c); i++ {
		implied[i] = c[i].on && !c[i-1].on && !c[i+1].on && c[i].p.scale(2) == c[i-1].p.add(c[i+1].p)
	}
	for i := range c {
		x, y := c[i].p.rounded()
		c[i].p = point{float64(x), float64(y)}
	}
	for len(c) > 1 && c[len(c)-1].on && c[len(c)-1].p == c[0].p {
		c = c[:len(c)-1]
	}
	out := make([]ctlPoint, 0, len(c))
	for i, p := range c {
		if i > 0 && (implied[i] || (p.on && out[len(out)-1].on && p.p == out[len(out)-1].p)) {
			continue
		}
		out = append(out, p)
	}
	if len(out) < 3 {
		// A point or a line encloses no ink.
		return nil
	}
	if cv.reverse {
		// Keep the first point first, so the contour still starts on it.
		for a, b := 1, len(out)-1; a < b; a, b = a+1, b-1 {
			out[a], out[b] = out[b], out[a]
		}
	}
	return out
}

// TrueType simple glyph flags.
const (
	flagOnCurve  = 0x01
	flagXShort   = 0x02
	flagYShort   = 0x04
	flagRepeat   = 0x08
	flagXSameOrP = 0x10
	flagYSameOrP = 0x20
)

// encode writes the contours as a glyf table entry: header, contour
// ends, no instructions, then flags and coordinates as deltas, each in
// one byte where it fits.
func (g *glyph) encode(contours [][]ctlPoint) error {
	g.xMin, g.yMin, g.xMax, g.yMax = math.MaxInt, math.MaxInt, math.MinInt, math.MinInt
	var ends []int
	for _, c := range contours {
		for _, p := range c {
			x, y := int(p.p.x), int(p.p.y)
			g.xMin, g.yMin, g.xMax, g.yMax = min(g.xMin, x), min(g.yMin, y), max(g.xMax, x), max(g.yMax, y)
		}
		g.points += len(c)
		ends = append(ends, g.points-1)
	}
	g.contours = len(contours)
	if g.xMin < math.MinInt16 || g.yMin < math.MinInt16 || g.xMax > math.MaxInt16 || g.yMax > math.MaxInt16 ||
		g.points > math.MaxUint16 || g.contours > math.MaxInt16 {
		return errCoordinates
	}
	b := make([]byte, 0, 12+2*len(ends)+5*g.points)
	b = be16(b, g.contours)
	b = be16(b, g.xMin)
	b = be16(b, g.yMin)
	b = be16(b, g.xMax)
	b = be16(b, g.yMax)
	for _, e := range ends {
		b = be16(b, e)
	}
	b = be16(b, 0) // instructions
	var flags, xs, ys []byte
	px, py := 0, 0
	for _, c := range contours {
		for _, p := range c {
			x, y := int(p.p.x), int(p.p.y)
			var f byte
			if p.on {
				f |= flagOnCurve
			}
			var fx, fy byte
			fx, xs = delta(xs, x-px, flagXShort, flagXSameOrP)
			fy, ys = delta(ys, y-py, flagYShort, flagYSameOrP)
			flags = append(flags, f|fx|fy)
			px, py = x, y
		}
	}
	b = appendFlags(b, flags)
	b = append(b, xs...)
	g.data = append(b, ys...)
	return nil
}

// delta writes one coordinate delta: nothing for zero, one byte and a
// sign flag up to 255, else two bytes.
func delta(b []byte, d int, short, sameOrPositive byte) (byte, []byte) {
	switch {
	case d == 0:
		return sameOrPositive, b
	case d > 0 && d <= 255:
		return short | sameOrPositive, append(b, byte(d))
	case d < 0 && d >= -255:
		return short, append(b, byte(-d))
	default:
		return 0, be16(b, d)
	}
}

// appendFlags writes flags, a run of equal ones as the flag, the repeat
// bit and the count of further copies.
func appendFlags(b, flags []byte) []byte {
	for i := 0; i < len(flags); {
		j := i + 1
		for j < len(flags) && flags[j] == flags[i] && j-i <= 255 {
			j++
		}
		if n := j - i - 1; n > 0 {
			b = append(b, flags[i]|flagRepeat, byte(n))
		} else {
			b = append(b, flags[i])
		}
		i = j
	}
	return b
}

func be16(b []byte, v int) []byte    { return binary.BigEndian.AppendUint16(b, uint16(int16(v))) }
func be32(b []byte, v uint32) []byte { return binary.BigEndian.AppendUint32(b, v) }
