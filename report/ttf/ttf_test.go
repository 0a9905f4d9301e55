package ttf

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
)

// notoCJK is Debian's fonts-noto-cjk, the CFF font the PDF prints
// Chinese, Japanese and Korean in.
const notoCJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

// cjkSample holds the party names the PDF test prints, in Chinese,
// Japanese and Korean.
const cjkSample = "中华人民共和国日本国대한민국"

// TestCubicToQuadsWithinTolerance: on cubics of every shape, each
// quadratic stays within the tolerance of its piece of the cubic at the
// same parameter, the pieces join, and the last ends where the cubic does.
func TestCubicToQuadsWithinTolerance(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	rnd := func() point { return point{rng.Float64()*2000 - 1000, rng.Float64()*2000 - 1000} }
	for range 2000 {
		c := [4]point{rnd(), rnd(), rnd(), rnd()}
		tol := []float64{0.1, 0.25, 1}[rng.IntN(3)]
		pieces := cubicToQuads(c, tol)
		n := len(pieces)
		if pieces[n-1].end != c[3] {
			t.Fatalf("%v: ends at %v", c, pieces[n-1].end)
		}
		start := c[0]
		worst := 0.0
		for i, q := range pieces {
			for s := 0.0; s <= 1; s += 1.0 / 64 {
				tc := (float64(i) + s) / float64(n)
				worst = max(worst, cubicAt(c, tc).dist(quadAt(start, q.ctrl, q.end, s)))
			}
			start = q.end
		}
		if worst > tol*(1+1e-9) {
			t.Fatalf("%v with tol %g in %d pieces: off by %g", c, tol, n, worst)
		}
	}
}

// TestCubicToQuadsKeepsAStraightCubic: a cubic that is a straight line
// needs one quadratic.
func TestCubicToQuadsKeepsAStraightCubic(t *testing.T) {
	c := [4]point{{0, 0}, {100, 0}, {200, 0}, {300, 0}}
	if p := cubicToQuads(c, 0.25); len(p) != 1 || p[0].ctrl != (point{150, 0}) {
		t.Fatalf("got %v", p)
	}
}

func loadNoto(t *testing.T) Source {
	t.Helper()
	b, err := os.ReadFile(notoCJK)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s (fonts-noto-cjk) is required in CI: %v", notoCJK, err)
		}
		t.Skipf("no CJK font here (install Debian's fonts-noto-cjk): %v", err)
	}
	faces, err := font.ParseTTC(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range faces {
		if f.Describe().Family == "Noto Sans CJK SC" {
			return Source{Face: f, Cubic: true, Family: "Noto Sans CJK SC", Weight: 400}
		}
	}
	t.Fatal("no Noto Sans CJK SC face in " + notoCJK)
	return Source{}
}

// TestSubsetOfCFFFont: the subset of Noto Sans CJK maps each rune of the
// sample to a glyph whose advance is the source's and whose outline is
// within 0.5 unit per 1000 em of the source's cubic outline, both ways
// round, running clockwise as TrueType's ink does; a rune the font lacks and one beyond the BMP are left out; and
// the font is small.
func TestSubsetOfCFFFont(t *testing.T) {
	src := loadNoto(t)
	runes := append([]rune(cjkSample), 0x10FFFD, 0x20000)
	data, held, err := Subset(src, runes)
	if err != nil {
		t.Fatal(err)
	}
	if string(held) != sortedUnique(cjkSample) {
		t.Errorf("held %q, want %q", string(held), sortedUnique(cjkSample))
	}
	out, err := font.ParseTTF(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the subset does not parse: %v", err)
	}
	k := float64(out.Upem()) / float64(src.Face.Upem())
	if k != 4 {
		t.Errorf("units per em %d from %d: want four times finer", out.Upem(), src.Face.Upem())
	}
	worst := 0.0
	for _, r := range held {
		sg, _ := src.Face.NominalGlyph(r)
		og, ok := out.NominalGlyph(r)
		if !ok || og == 0 {
			t.Errorf("%c: not in the subset's cmap", r)
			continue
		}
		if a, b := out.HorizontalAdvance(og), src.Face.HorizontalAdvance(sg)*float32(k); a != b {
			t.Errorf("%c: advance %g, want %g", r, a, b)
		}
		so, _ := src.Face.GlyphDataOutline(sg)
		oo, _ := out.GlyphDataOutline(og)
		if a := area(flatten(oo.Segments, 1)); a >= 0 {
			t.Errorf("%c: ink runs counter-clockwise (area %g): TrueType's is clockwise", r, a)
		}
		d := hausdorff(flatten(so.Segments, k), flatten(oo.Segments, 1), 4*k)
		worst = max(worst, d/k)
		if d/k > 0.5 {
			t.Errorf("%c: outline off by %.3f units per 1000 em", r, d/k)
		}
	}
	t.Logf("%d glyphs, %d bytes, outlines within %.3f unit per 1000 em", len(held), len(data), worst)
	if len(data) > 40_000 {
		t.Errorf("a subset of %d glyphs takes %d bytes", len(held), len(data))
	}
}

// TestSubsetOfTrueTypeFontIsExact: glyphs of a glyf font keep their units
// per em and their outlines.
func TestSubsetOfTrueTypeFontIsExact(t *testing.T) {
	face, err := font.ParseTTF(bytes.NewReader(dejavusans.TTF))
	if err != nil {
		t.Fatal(err)
	}
	sample := "Aaeé€&@§"
	data, held, err := Subset(Source{Face: face, Family: "DejaVu Sans"}, []rune(sample))
	if err != nil {
		t.Fatal(err)
	}
	if string(held) != sortedUnique(sample) {
		t.Errorf("held %q", string(held))
	}
	out, err := font.ParseTTF(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if out.Upem() != face.Upem() {
		t.Errorf("units per em %d, want %d", out.Upem(), face.Upem())
	}
	for _, r := range held {
		sg, _ := face.NominalGlyph(r)
		og, _ := out.NominalGlyph(r)
		so, _ := face.GlyphDataOutline(sg)
		oo, _ := out.GlyphDataOutline(og)
		if d := hausdorff(flatten(so.Segments, 1), flatten(oo.Segments, 1), 1); d > 0.05 {
			t.Errorf("%c: outline moved by %.3f units", r, d)
		}
	}
}

// TestAssembleChecksums: every table's checksum and head's adjustment
// make the whole font sum to 0xB1B0AFBA, as the format defines.
func TestAssembleChecksums(t *testing.T) {
	face, err := font.ParseTTF(bytes.NewReader(dejavusans.TTF))
	if err != nil {
		t.Fatal(err)
	}
	data, _, err := Subset(Source{Face: face}, []rune("xyz"))
	if err != nil {
		t.Fatal(err)
	}
	if s := checksum(data); s != 0xB1B0AFBA {
		t.Errorf("font sums to %#x", s)
	}
	ld, err := ot.NewLoader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range ld.Tables() {
		raw, _ := ld.RawTable(tag)
		if len(raw) == 0 {
			t.Errorf("table %s is empty", tag)
		}
	}
}

func sortedUnique(s string) string {
	seen := map[rune]bool{}
	var rs []rune
	for _, r := range s {
		if !seen[r] {
			seen[r] = true
			rs = append(rs, r)
		}
	}
	for i := range rs {
		for j := i + 1; j < len(rs); j++ {
			if rs[j] < rs[i] {
				rs[i], rs[j] = rs[j], rs[i]
			}
		}
	}
	return string(rs)
}

// flatten turns an outline into line segments, each curve cut into 128,
// scaled by k.
func flatten(segs []font.Segment, k float64) [][2]point {
	const steps = 128
	var lines [][2]point
	var at, start point
	pt := func(sp font.SegmentPoint) point { return point{float64(sp.X) * k, float64(sp.Y) * k} }
	add := func(f func(s float64) point) {
		prev := at
		for i := 1; i <= steps; i++ {
			p := f(float64(i) / steps)
			lines = append(lines, [2]point{prev, p})
			prev = p
		}
	}
	for _, s := range segs {
		switch s.Op {
		case ot.SegmentOpMoveTo:
			if at != start {
				lines = append(lines, [2]point{at, start})
			}
			at = pt(s.Args[0])
			start = at
		case ot.SegmentOpLineTo:
			p := pt(s.Args[0])
			lines = append(lines, [2]point{at, p})
			at = p
		case ot.SegmentOpQuadTo:
			p0, c, p1 := at, pt(s.Args[0]), pt(s.Args[1])
			add(func(s float64) point { return quadAt(p0, c, p1, s) })
			at = p1
		case ot.SegmentOpCubeTo:
			c := [4]point{at, pt(s.Args[0]), pt(s.Args[1]), pt(s.Args[2])}
			add(func(s float64) point { return cubicAt(c, s) })
			at = c[3]
		}
	}
	if at != start {
		lines = append(lines, [2]point{at, start})
	}
	return lines
}

// area is the signed area the lines enclose: positive for ink that runs
// counter-clockwise.
func area(lines [][2]point) float64 {
	a := 0.0
	for _, l := range lines {
		a += l[0].x*l[1].y - l[1].x*l[0].y
	}
	return a / 2
}

// hausdorff is the largest distance from a point of either outline to
// the other, up to limit (a larger one is returned as found, past limit).
func hausdorff(a, b [][2]point, limit float64) float64 {
	return max(directed(a, b, limit), directed(b, a, limit))
}

func directed(from, to [][2]point, limit float64) float64 {
	cell := max(limit, 1)
	grid := map[[2]int][][2]point{}
	key := func(p point) [2]int { return [2]int{int(math.Floor(p.x / cell)), int(math.Floor(p.y / cell))} }
	for _, l := range to {
		// A long line goes in as pieces no longer than a cell, so that
		// each lies in the cells around its ends.
		n := int(math.Ceil(l[0].dist(l[1]) / cell))
		for i := range max(n, 1) {
			piece := [2]point{lerp(l[0], l[1], float64(i)/float64(max(n, 1))), lerp(l[0], l[1], float64(i+1)/float64(max(n, 1)))}
			k0, k1 := key(piece[0]), key(piece[1])
			for x := min(k0[0], k1[0]); x <= max(k0[0], k1[0]); x++ {
				for y := min(k0[1], k1[1]); y <= max(k0[1], k1[1]); y++ {
					grid[[2]int{x, y}] = append(grid[[2]int{x, y}], piece)
				}
			}
		}
	}
	worst := 0.0
	var samples []point
	for _, l := range from {
		n := max(int(math.Ceil(l[0].dist(l[1])/cell)), 1)
		for i := range n {
			samples = append(samples, lerp(l[0], l[1], float64(i)/float64(n)))
		}
	}
	for _, p := range samples {
		best := math.Inf(1)
		k := key(p)
		for dx := -1; dx <= 1; dx++ {
			for dy := -1; dy <= 1; dy++ {
				for _, s := range grid[[2]int{k[0] + dx, k[1] + dy}] {
					best = min(best, segDist(p, s))
				}
			}
		}
		if math.IsInf(best, 1) {
			for _, s := range to {
				best = min(best, segDist(p, s))
			}
		}
		worst = max(worst, best)
	}
	return worst
}

func segDist(p point, s [2]point) float64 {
	d := s[1].sub(s[0])
	l2 := d.x*d.x + d.y*d.y
	if l2 == 0 {
		return p.dist(s[0])
	}
	t := ((p.x-s[0].x)*d.x + (p.y-s[0].y)*d.y) / l2
	return p.dist(lerp(s[0], s[1], min(max(t, 0), 1)))
}

// TestSubsetWithCache: a subset made from cached glyphs is the subset
// made without, and the cache keeps no more than it may.
func TestSubsetWithCache(t *testing.T) {
	face, err := font.ParseTTF(bytes.NewReader(dejavusans.TTF))
	if err != nil {
		t.Fatal(err)
	}
	plain := Source{Face: face, Family: "DejaVu Sans"}
	want, _, err := Subset(plain, []rune("cached glyphs"))
	if err != nil {
		t.Fatal(err)
	}
	cached := plain
	cached.Cache = NewCache(5)
	for range 2 {
		got, _, err := Subset(cached, []rune("cached glyphs"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatal("the subset differs with a cache")
		}
	}
	if n := cached.Cache.Len(); n != 5 {
		t.Errorf("the cache holds %d glyphs, want its limit, 5", n)
	}
}
