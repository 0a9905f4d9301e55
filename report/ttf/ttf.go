// Package ttf writes small TrueType fonts: the glyphs a document uses,
// taken from any OpenType face (TrueType or CFF outlines, a single font
// or one face of a collection) and written with quadratic outlines, so
// that a PDF library that embeds TrueType only, such as fpdf, can embed
// them.
//
// A cubic (CFF) outline becomes quadratics that stay within a quarter of
// a unit per 1000 em of it, on a grid four times finer than a 1000-unit
// em, so that the rounding of the new points adds at most 0.18 unit per
// 1000 em: the outline is within 0.5 unit per 1000 em of the original,
// far under what any printer shows. A quadratic (glyf) outline is copied
// exactly.
package ttf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"unicode/utf16"

	"github.com/go-text/typesetting/font"
)

// Tolerance is the largest distance, in units per 1000 em, between a
// cubic of the source and the quadratics that replace it.
const Tolerance = 0.25

// minUnitsPerEm is the finest em the output takes for a cubic source:
// the source's units per em times the smallest integer that reaches it.
const minUnitsPerEm = 4000

// Source is a face to take glyphs from.
type Source struct {
	Face *font.Face
	// Cubic says the face has CFF outlines.
	Cubic bool
	// Family and Copyright are written to the name table.
	Family, Copyright string
	// Weight is the OS/2 weight class, 400 for regular.
	Weight int
	// Cache, when set, keeps the glyphs converted for one subset for
	// the next: a server prints the same characters again and again.
	Cache *Cache
}

// Cache holds converted glyphs of one Source, up to a number; it is safe
// for concurrent use.
type Cache struct {
	mu     sync.Mutex
	max    int
	glyphs map[font.GID]glyph
}

// NewCache keeps up to max glyphs (a CJK glyph takes some 300 bytes).
func NewCache(max int) *Cache {
	return &Cache{max: max, glyphs: map[font.GID]glyph{}}
}

func (c *Cache) get(gid font.GID) (glyph, bool) {
	if c == nil {
		return glyph{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	g, ok := c.glyphs[gid]
	return g, ok
}

func (c *Cache) put(gid font.GID, g glyph) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.glyphs) < c.max {
		c.glyphs[gid] = g
	}
}

// Len is the number of glyphs held.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.glyphs)
}

// Subset writes a TrueType font holding the glyph of each rune of runes
// that the face maps (runes outside the Basic Multilingual Plane are left
// out: the cmap written is format 4), and the runes it holds. Glyph 0 is
// the face's .notdef.
func Subset(src Source, runes []rune) ([]byte, []rune, error) {
	upem := int(src.Face.Upem())
	if upem == 0 {
		return nil, nil, errors.New("font has no units per em")
	}
	k := 1
	if src.Cubic {
		k = (minUnitsPerEm + upem - 1) / upem
	}
	cv := converter{
		face: src.Face, scale: float64(k), reverse: src.Cubic,
		tol: Tolerance * float64(upem*k) / 1000,
	}
	gids, cmap := pickGlyphs(src.Face, runes)
	glyphs := make([]glyph, len(gids))
	for i, gid := range gids {
		g, ok := src.Cache.get(gid)
		if !ok {
			var err error
			if g, err = cv.glyph(gid); err != nil {
				return nil, nil, fmt.Errorf("glyph %d: %w", gid, err)
			}
			src.Cache.put(gid, g)
		}
		glyphs[i] = g
	}
	held := make([]rune, len(cmap))
	for i, m := range cmap {
		held[i] = m.r
	}
	w := writer{src: src, upem: upem * k, scale: float64(k), glyphs: glyphs, cmap: cmap}
	return w.font(), held, nil
}

// runeGlyph maps a rune to its glyph in the output.
type runeGlyph struct {
	r   rune
	gid int
}

// pickGlyphs lists the face's glyphs for runes, .notdef first and each
// glyph once, and the output's cmap in rune order.
func pickGlyphs(face *font.Face, runes []rune) ([]font.GID, []runeGlyph) {
	rs := slices.Clone(runes)
	slices.Sort(rs)
	rs = slices.Compact(rs)
	gids := []font.GID{0}
	index := map[font.GID]int{0: 0}
	var cmap []runeGlyph
	for _, r := range rs {
		if r > 0xFFFF || r < 0x20 {
			continue
		}
		g, ok := face.NominalGlyph(r)
		if !ok || g == 0 {
			continue
		}
		i, seen := index[g]
		if !seen {
			i = len(gids)
			index[g] = i
			gids = append(gids, g)
		}
		cmap = append(cmap, runeGlyph{r, i})
	}
	return gids, cmap
}

// writer assembles the tables of one font.
type writer struct {
	src    Source
	upem   int
	scale  float64
	glyphs []glyph
	cmap   []runeGlyph
}

type table struct {
	tag  string
	data []byte
}

func (w writer) font() []byte {
	glyf, loca := w.glyfLoca()
	tables := []table{
		{"OS/2", w.os2()}, {"cmap", w.cmapTable()}, {"glyf", glyf}, {"head", w.head()},
		{"hhea", w.hhea()}, {"hmtx", w.hmtx()}, {"loca", loca}, {"maxp", w.maxp()},
		{"name", w.name()}, {"post", w.post()},
	}
	return assemble(tables)
}

// assemble writes the table directory and the tables, each at an offset
// that is a multiple of 4, and sets head's checksum adjustment.
func assemble(tables []table) []byte {
	slices.SortFunc(tables, func(a, b table) int {
		return cmpTag(a.tag, b.tag)
	})
	n := len(tables)
	sel := int(math.Floor(math.Log2(float64(n))))
	search := (1 << sel) * 16
	b := be32(nil, 0x00010000)
	b = be16(b, n)
	b = be16(b, search)
	b = be16(b, sel)
	b = be16(b, n*16-search)
	offset := 12 + 16*n
	headAt := 0
	for _, t := range tables {
		b = append(b, t.tag...)
		b = be32(b, checksum(t.data))
		b = be32(b, uint32(offset))
		b = be32(b, uint32(len(t.data)))
		if t.tag == "head" {
			headAt = offset
		}
		offset += pad4(len(t.data))
	}
	for _, t := range tables {
		b = append(b, t.data...)
		b = append(b, make([]byte, pad4(len(t.data))-len(t.data))...)
	}
	binary.BigEndian.PutUint32(b[headAt+8:], 0xB1B0AFBA-checksum(b))
	return b
}

func cmpTag(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func pad4(n int) int { return (n + 3) &^ 3 }

// checksum is the sum of the data as big-endian uint32s, zero-padded.
func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}

// glyfLoca writes the glyphs, each 4-byte aligned, and their long offsets.
func (w writer) glyfLoca() (glyf, loca []byte) {
	for _, g := range w.glyphs {
		loca = be32(loca, uint32(len(glyf)))
		glyf = append(glyf, g.data...)
		glyf = append(glyf, make([]byte, pad4(len(g.data))-len(g.data))...)
	}
	return glyf, be32(loca, uint32(len(glyf)))
}

// bbox is the union of the glyphs' boxes.
func (w writer) bbox() (xMin, yMin, xMax, yMax int) {
	first := true
	for _, g := range w.glyphs {
		if len(g.data) == 0 {
			continue
		}
		if first {
			xMin, yMin, xMax, yMax, first = g.xMin, g.yMin, g.xMax, g.yMax, false
			continue
		}
		xMin, yMin, xMax, yMax = min(xMin, g.xMin), min(yMin, g.yMin), max(xMax, g.xMax), max(yMax, g.yMax)
	}
	return
}

func (w writer) head() []byte {
	xMin, yMin, xMax, yMax := w.bbox()
	b := be32(nil, 0x00010000) // version
	b = be32(b, 0x00010000)    // fontRevision
	b = be32(b, 0)             // checksumAdjustment, set by assemble
	b = be32(b, 0x5F0F3CF5)    // magic
	b = be16(b, 0x0003)        // flags: baseline at y=0, left sidebearing at x=0
	b = be16(b, w.upem)
	b = append(b, make([]byte, 16)...) // created, modified: none, so the output is reproducible
	b = be16(b, xMin)
	b = be16(b, yMin)
	b = be16(b, xMax)
	b = be16(b, yMax)
	b = be16(b, 0) // macStyle
	b = be16(b, 8) // lowestRecPPEM
	b = be16(b, 2) // fontDirectionHint
	b = be16(b, 1) // indexToLocFormat: long
	return be16(b, 0)
}

// vmetrics are the face's ascender, descender and line gap in output
// units.
func (w writer) vmetrics() (asc, desc, gap int) {
	ext, _ := w.src.Face.FontHExtents()
	return w.units(ext.Ascender), w.units(ext.Descender), w.units(ext.LineGap)
}

func (w writer) units(v float32) int { return int(math.Round(float64(v) * w.scale)) }

func (w writer) hhea() []byte {
	asc, desc, gap := w.vmetrics()
	var advMax, minLSB, minRSB, xMaxExtent int
	for i, g := range w.glyphs {
		advMax = max(advMax, g.advance)
		if len(g.data) == 0 {
			continue
		}
		rsb := g.advance - g.xMax
		if i == 0 || g.xMin < minLSB {
			minLSB = g.xMin
		}
		if i == 0 || rsb < minRSB {
			minRSB = rsb
		}
		xMaxExtent = max(xMaxExtent, g.xMax)
	}
	b := be32(nil, 0x00010000)
	b = be16(b, asc)
	b = be16(b, desc)
	b = be16(b, gap)
	b = be16(b, advMax)
	b = be16(b, minLSB)
	b = be16(b, minRSB)
	b = be16(b, xMaxExtent)
	b = be16(b, 1) // caretSlopeRise
	b = be16(b, 0) // caretSlopeRun
	b = be16(b, 0) // caretOffset
	b = append(b, make([]byte, 8)...)
	b = be16(b, 0) // metricDataFormat
	return be16(b, len(w.glyphs))
}

func (w writer) hmtx() []byte {
	var b []byte
	for _, g := range w.glyphs {
		b = be16(b, g.advance)
		b = be16(b, g.xMin)
	}
	return b
}

func (w writer) maxp() []byte {
	var points, contours int
	for _, g := range w.glyphs {
		points, contours = max(points, g.points), max(contours, g.contours)
	}
	b := be32(nil, 0x00010000)
	b = be16(b, len(w.glyphs))
	b = be16(b, points)
	b = be16(b, contours)
	b = be16(b, 0) // maxCompositePoints
	b = be16(b, 0) // maxCompositeContours
	b = be16(b, 2) // maxZones
	return append(b, make([]byte, 16)...)
}

// cmapTable is a format 4 subtable for Windows Unicode BMP: one segment
// per run of consecutive runes whose glyphs are consecutive too.
func (w writer) cmapTable() []byte {
	type seg struct{ start, end, delta int }
	var segs []seg
	for _, m := range w.cmap {
		if n := len(segs); n > 0 && int(m.r) == segs[n-1].end+1 && m.gid-int(m.r) == segs[n-1].delta {
			segs[n-1].end++
			continue
		}
		segs = append(segs, seg{int(m.r), int(m.r), m.gid - int(m.r)})
	}
	segs = append(segs, seg{0xFFFF, 0xFFFF, 1})
	n := len(segs)
	sel := int(math.Floor(math.Log2(float64(n))))
	search := 2 << sel
	sub := be16(nil, 4)
	sub = be16(sub, 16+8*n) // length
	sub = be16(sub, 0)      // language
	sub = be16(sub, 2*n)
	sub = be16(sub, search)
	sub = be16(sub, sel)
	sub = be16(sub, 2*n-search)
	for _, s := range segs {
		sub = be16(sub, s.end)
	}
	sub = be16(sub, 0) // reservedPad
	for _, s := range segs {
		sub = be16(sub, s.start)
	}
	for _, s := range segs {
		sub = be16(sub, s.delta)
	}
	for range segs {
		sub = be16(sub, 0) // idRangeOffset
	}
	b := be16(nil, 0) // version
	b = be16(b, 1)    // one subtable
	b = be16(b, 3)    // Windows
	b = be16(b, 1)    // Unicode BMP
	b = be32(b, 12)
	return append(b, sub...)
}

func (w writer) os2() []byte {
	asc, desc, gap := w.vmetrics()
	_, yMin, _, yMax := w.bbox()
	var sum, n int
	for _, g := range w.glyphs {
		if g.advance > 0 {
			sum, n = sum+g.advance, n+1
		}
	}
	avg := 0
	if n > 0 {
		avg = sum / n
	}
	first, last := 0xFFFF, 0
	if len(w.cmap) > 0 {
		first, last = int(w.cmap[0].r), int(w.cmap[len(w.cmap)-1].r)
	}
	weight := w.src.Weight
	if weight == 0 {
		weight = 400
	}
	b := be16(nil, 4) // version
	b = be16(b, avg)
	b = be16(b, weight)
	b = be16(b, 5) // usWidthClass: normal
	b = be16(b, 0) // fsType: installable; the caller checked the source allows embedding
	for _, v := range []int{650, 600, 0, 75, 650, 600, 0, 350, 50, 260} {
		b = be16(b, v*w.upem/1000) // sub- and superscript, strikeout
	}
	b = be16(b, 0)                     // sFamilyClass
	b = append(b, make([]byte, 10)...) // panose
	b = append(b, make([]byte, 16)...) // ulUnicodeRange
	b = append(b, "PRLY"...)           // achVendID
	b = be16(b, 0x0040)                // fsSelection: regular
	b = be16(b, first)
	b = be16(b, last)
	b = be16(b, asc)
	b = be16(b, desc)
	b = be16(b, gap)
	b = be16(b, max(asc, yMax))
	b = be16(b, max(-desc, -yMin))
	b = append(b, make([]byte, 8)...) // ulCodePageRange
	b = be16(b, w.units(w.src.Face.LineMetric(font.XHeight)))
	b = be16(b, w.units(w.src.Face.LineMetric(font.CapHeight)))
	b = be16(b, 0) // usDefaultChar
	b = be16(b, 0x20)
	return be16(b, 1) // usMaxContext
}

// post is version 3: no glyph names.
func (w writer) post() []byte {
	b := be32(nil, 0x00030000)
	b = be32(b, 0)                        // italicAngle
	b = be16(b, -125*w.upem/1000)         // underlinePosition
	b = be16(b, 50*w.upem/1000)           // underlineThickness
	return append(b, make([]byte, 20)...) // isFixedPitch, memory hints
}

// name holds the family, "Regular", a full and a PostScript name, and the
// source's copyright, as Windows Unicode strings.
func (w writer) name() []byte {
	family := w.src.Family
	if family == "" {
		family = "Subset"
	}
	ps := make([]rune, 0, len(family))
	for _, r := range family {
		if r > ' ' && r < 0x7F && r != '[' && r != ']' && r != '(' && r != ')' && r != '/' && r != '%' {
			ps = append(ps, r)
		}
	}
	records := []struct {
		id   int
		text string
	}{{1, family}, {2, "Regular"}, {3, family + " subset"}, {4, family}, {6, string(ps)}}
	if w.src.Copyright != "" {
		records = append([]struct {
			id   int
			text string
		}{{0, w.src.Copyright}}, records...)
	}
	var strs []byte
	b := be16(nil, 0)
	b = be16(b, len(records))
	b = be16(b, 6+12*len(records))
	for _, r := range records {
		s := utf16.Encode([]rune(r.text))
		b = be16(b, 3)     // Windows
		b = be16(b, 1)     // Unicode BMP
		b = be16(b, 0x409) // English
		b = be16(b, r.id)
		b = be16(b, 2*len(s))
		b = be16(b, len(strs))
		for _, u := range s {
			strs = be16(strs, int(u))
		}
	}
	return append(b, strs...)
}
