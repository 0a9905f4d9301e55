package ttf

import "math"

// point is a position in font units.
type point struct{ x, y float64 }

func (p point) add(q point) point      { return point{p.x + q.x, p.y + q.y} }
func (p point) sub(q point) point      { return point{p.x - q.x, p.y - q.y} }
func (p point) scale(s float64) point  { return point{p.x * s, p.y * s} }
func (p point) dist(q point) float64   { return math.Hypot(p.x-q.x, p.y-q.y) }
func lerp(p, q point, t float64) point { return p.add(q.sub(p).scale(t)) }
func (p point) rounded() (int, int)    { return int(math.Round(p.x)), int(math.Round(p.y)) }

// cubicAt is the point of the cubic Bézier c at parameter t (de Casteljau).
func cubicAt(c [4]point, t float64) point {
	ab, bc, cd := lerp(c[0], c[1], t), lerp(c[1], c[2], t), lerp(c[2], c[3], t)
	return lerp(lerp(ab, bc, t), lerp(bc, cd, t), t)
}

// quadAt is the point of the quadratic Bézier p0 c p1 at parameter t.
func quadAt(p0, c, p1 point, t float64) point { return lerp(lerp(p0, c, t), lerp(c, p1, t), t) }

// maxPieces bounds the quadratics one cubic becomes, against a degenerate
// outline with huge coordinates; at a tolerance of a quarter unit it is
// reached only by a cubic spanning some 10⁵ units.
const maxPieces = 64

// quadPiece is one quadratic of a converted cubic: its control point and
// its end (its start is the previous piece's end).
type quadPiece struct{ ctrl, end point }

// cubicToQuads approximates the cubic Bézier c by quadratics that stay
// within tol of it.
//
// The cubic is cut into n pieces of equal parameter length, and each
// piece [p0 p1 p2 p3] becomes the quadratic whose control point is
// (3(p1+p2) − (p0+p3))/4. Their difference at each parameter s is
// d·s(1−s)(1−2s)/2, where d = p3 − 3p2 + 3p1 − p0, so the largest error
// is |d|·√3/36; a piece of parameter length 1/n has d/n³. n is the
// smallest count that brings the error under tol, which is the error
// measured at the same parameter on both curves: the distance between
// the two shapes is at most that.
func cubicToQuads(c [4]point, tol float64) []quadPiece {
	d := c[3].sub(c[2].scale(3)).add(c[1].scale(3)).sub(c[0])
	dLen := math.Hypot(d.x, d.y)
	n := 1
	if dLen > 0 && tol > 0 {
		n = int(math.Ceil(math.Cbrt(dLen * math.Sqrt(3) / 36 / tol)))
		n = min(max(n, 1), maxPieces)
	}
	pieces := make([]quadPiece, 0, n)
	for i := range n {
		p := subCubic(c, float64(i)/float64(n), float64(i+1)/float64(n))
		ctrl := p[1].add(p[2]).scale(3).sub(p[0].add(p[3])).scale(0.25)
		pieces = append(pieces, quadPiece{ctrl: ctrl, end: p[3]})
	}
	// The last end is the cubic's own end, exactly, so the outline closes
	// where the font says.
	pieces[n-1].end = c[3]
	return pieces
}

// subCubic is the part of c between parameters t0 and t1, as a cubic.
func subCubic(c [4]point, t0, t1 float64) [4]point {
	// The derivative at t is 3·(the quadratic of the differences); a
	// piece's inner control points sit a third of its span along it.
	deriv := func(t float64) point {
		a, b, e := c[1].sub(c[0]), c[2].sub(c[1]), c[3].sub(c[2])
		return quadAt(a, b, e, t).scale(3)
	}
	h := t1 - t0
	p0, p3 := cubicAt(c, t0), cubicAt(c, t1)
	return [4]point{p0, p0.add(deriv(t0).scale(h / 3)), p3.sub(deriv(t1).scale(h / 3)), p3}
}
