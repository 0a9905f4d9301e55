package report

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/go-pdf/fpdf"
	"github.com/go-text/typesetting/bidi"
	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
	xbidi "golang.org/x/text/unicode/bidi"
	"golang.org/x/text/unicode/runenames"
)

// The PDF's text goes through four steps before fpdf draws it, because
// fpdf itself writes characters left to right, one glyph per code point:
//
//  1. prepare: characters no embedded font has become a readable
//     placeholder ("[grinning face]", "[CJK text]") instead of a box;
//     CJK characters are drawn in the document's CJK font, made from
//     the CJK characters of the whole report when the first is met
//     (pdf_cjk.go);
//  2. wrap: lines break between words, in logical order;
//  3. order: the Unicode bidirectional algorithm (go-text's bidi, which
//     gives each character its level; golang.org/x/text's does not)
//     turns each line into runs in reading order on the page;
//  4. shape: HarfBuzz (go-text's port) shapes each right-to-left run
//     that holds Arabic letters into the joined forms, and each glyph is
//     written through the code point that names it in the font (the
//     Arabic Presentation Forms), so fpdf, which addresses glyphs by code
//     point, draws the shaper's glyph. Unicode's NFKC maps those forms
//     back to the letters. Text extractors (poppler's pdftotext among
//     them) read a right-to-left run drawn in visual order back into
//     logical order; an /ActualText span would be read reversed again.

// typesetter holds the fonts and the reusable state of one document.
type typesetter struct {
	f     *fpdf.Fpdf
	faces map[string]*pdfFace
	// report is what the document prints, read for its CJK characters.
	report *Report
	// cjk is the document's CJK font, made when prepare first meets a
	// CJK character (cjkLoaded); nil until then, and when no CJK font is
	// installed (noCJKFont, with cjkErr when one could not be used).
	cjk       *cjkDoc
	cjkLoaded bool
	noCJKFont bool
	cjkErr    error
	cjkOn     map[string]bool // the CJK styles registered with fpdf
	style     string
	size      float64
	// set is the font fpdf has selected, so that a run in the font
	// already in use does not select it again.
	set    fontChoice
	para   bidi.Paragraph
	shaper shaping.HarfbuzzShaper
	// missingCJK records that some CJK text printed as a placeholder,
	// for the note at the end of the document.
	missingCJK bool
}

// newTypesetter registers the fonts of a document that prints r.
func newTypesetter(f *fpdf.Fpdf, r *Report) (*typesetter, error) {
	fs, err := documentFaces()
	if err != nil {
		return nil, err
	}
	for style, face := range fs {
		f.AddUTF8FontFromBytes(pdfFont, style, face.ttf)
	}
	return &typesetter{f: f, faces: fs, report: r, cjkOn: map[string]bool{}}, nil
}

// loadCJK makes the document's CJK font, once. fpdf needs a font's
// glyphs before a line in it is measured, so the font holds every CJK
// character of the report, found when the first is met: a report
// without CJK text costs nothing; fpdf embeds only the glyphs printed.
func (t *typesetter) loadCJK() {
	if t.cjkLoaded {
		return
	}
	t.cjkLoaded = true
	src := cjkFont()
	if src == nil {
		t.noCJKFont = true
		return
	}
	cjk, err := newCJKDoc(src, reportCJK(t.report))
	if err != nil {
		t.noCJKFont, t.cjkErr = true, err
		return
	}
	t.cjk = cjk
}

type fontChoice struct {
	family, style string
	size          float64
}

// setFont selects the main font's style and size for what follows.
func (t *typesetter) setFont(style string, size float64) {
	t.style, t.size = style, size
	t.apply(fontChoice{pdfFont, style, size})
}

// apply selects a font in fpdf unless it is the one selected already.
func (t *typesetter) apply(c fontChoice) {
	if c != t.set {
		t.f.SetFont(c.family, c.style, c.size)
		t.set = c
	}
}

// prepare replaces what no font can draw with a readable placeholder,
// and drops the explicit bidi controls, which would let text reorder
// the rest of its line.
func (t *typesetter) prepare(s string) string {
	if isPlainASCII(s) {
		return s
	}
	main := t.faces[""]
	var b strings.Builder
	inCJK := false
	for _, r := range s {
		cjkHere := false
		switch {
		case r == '\n':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xA0):
			b.WriteRune(' ')
		case (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0xFE0E || r == 0xFE0F:
		case main.covers(r):
			b.WriteRune(r)
		case isCJK(r):
			cjkHere = true
			t.loadCJK()
			switch {
			case t.cjk.covers(r):
				b.WriteRune(r)
			case !t.noCJKFont:
				// The installed CJK font lacks this character.
				b.WriteString("[" + runeName(r) + "]")
			case !inCJK:
				t.missingCJK = true
				b.WriteString("[CJK text]")
			}
		default:
			b.WriteString("[" + runeName(r) + "]")
		}
		inCJK = cjkHere
	}
	return b.String()
}

// runeName names a character for a placeholder: "grinning face".
func runeName(r rune) string {
	if n := runenames.Name(r); n != "" && !strings.HasPrefix(n, "<") {
		return strings.ToLower(n)
	}
	if unicode.Is(unicode.Han, r) {
		// Han characters have no names, only code points.
		return fmt.Sprintf("CJK ideograph U+%04X", r)
	}
	return fmt.Sprintf("U+%04X", r)
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// needsBidi reports whether s holds right-to-left characters.
func needsBidi(s string) bool {
	for _, r := range s {
		if (r >= 0x0590 && r <= 0x08FF) || (r >= 0xFB1D && r <= 0xFEFF) || r == 0x200F {
			return true
		}
	}
	return false
}

// glyphRun is part of a line in one font, in the order it is drawn.
type glyphRun struct {
	text string // the code points fpdf draws, left to right
	cjk  bool   // drawn in the CJK font
}

// visualRun is a bidi run: its logical text and its level.
type visualRun struct {
	runes []rune
	level bidi.Level
}

// layout turns one prepared line into runs in drawing order.
func (t *typesetter) layout(line string) []glyphRun {
	if !needsBidi(line) {
		return t.byFont(line)
	}
	text := []rune(line)
	runs := t.bidiRuns(text)
	// Rule L2 for a left-to-right paragraph whose deepest level is 2:
	// every stretch of runs at level 1 or more reads in reverse order.
	for i := 0; i < len(runs); {
		if runs[i].level == 0 {
			i++
			continue
		}
		j := i
		for j < len(runs) && runs[j].level > 0 {
			j++
		}
		for a, b := i, j-1; a < b; a, b = a+1, b-1 {
			runs[a], runs[b] = runs[b], runs[a]
		}
		i = j
	}
	var out []glyphRun
	for _, r := range runs {
		if r.level%2 == 0 {
			out = append(out, t.byFont(string(r.runes))...)
			continue
		}
		out = append(out, t.byFont(t.shapeRTL(r.runes))...)
	}
	return out
}

// bidiRuns runs the bidi algorithm over a line, left to right as the
// report's language is, and returns its runs in logical order with their
// levels. go-text splits runs only where the direction changes, so a
// level-2 number after right-to-left text and the level-0 text after it
// arrive as one even run; the number is split off here.
func (t *typesetter) bidiRuns(text []rune) []visualRun {
	segs := t.para.Segment(text, bidi.LeftToRight)
	var runs []visualRun
	for i := 0; i < segs.NumRuns(); i++ {
		r := segs.Run(i)
		rs := text[r.Start:r.End]
		if r.Level == 2 {
			n := numberPrefix(rs)
			if n > 0 && n < len(rs) {
				runs = append(runs, visualRun{rs[:n], 2}, visualRun{rs[n:], 0})
				continue
			}
		}
		runs = append(runs, visualRun{rs, r.Level})
	}
	return runs
}

// numberPrefix is the length of the number at the start of rs: digits
// and the separators between them.
func numberPrefix(rs []rune) int {
	n := 0
	for i, r := range rs {
		if unicode.IsDigit(r) {
			n = i + 1
			continue
		}
		if !strings.ContainsRune(".,:/%+-\u066B\u066C\u060C", r) {
			break
		}
	}
	return n
}

// shapeRTL returns a right-to-left run as fpdf must draw it, left to
// right: shaped by HarfBuzz when it holds Arabic letters, else reversed
// with its brackets mirrored.
func (t *typesetter) shapeRTL(rs []rune) string {
	if !hasArabic(rs) {
		return xbidi.ReverseString(string(rs))
	}
	face := t.faces[t.style]
	out := t.shaper.Shape(shaping.Input{
		Text: rs, RunStart: 0, RunEnd: len(rs),
		Direction: di.DirectionRTL, Face: face.face, Size: fixed.I(int(t.size)),
		Script: language.Arabic, Language: language.NewLanguage("ar"),
	})
	var b strings.Builder
	done := map[int]bool{}
	for _, g := range out.Glyphs {
		if r, ok := face.formOf[g.GlyphID]; ok {
			b.WriteRune(r)
			continue
		}
		// A glyph with no code point of its own (a space, a Hebrew
		// letter, a mirrored bracket): its cluster's characters, once.
		start := g.TextIndex()
		if done[start] {
			continue
		}
		done[start] = true
		end := start + max(g.RunesCount(), 1)
		b.WriteString(xbidi.ReverseString(string(rs[start:min(end, len(rs))])))
	}
	return b.String()
}

func hasArabic(rs []rune) bool {
	for _, r := range rs {
		if unicode.Is(unicode.Arabic, r) {
			return true
		}
	}
	return false
}

// byFont splits a run where it passes between the main font and the CJK
// font.
func (t *typesetter) byFont(s string) []glyphRun {
	if t.cjk == nil || !mayBeCJK(s) {
		return []glyphRun{{text: s}}
	}
	var out []glyphRun
	start, cur := 0, false
	for i, r := range s {
		c := isCJK(r) && t.cjk.covers(r)
		if i > 0 && c != cur {
			out = append(out, glyphRun{text: s[start:i], cjk: cur})
			start = i
		}
		cur = c
	}
	return append(out, glyphRun{text: s[start:], cjk: cur})
}

// mayBeCJK reports whether s may have a character at or above U+1100,
// where the CJK scripts begin: whether it has a UTF-8 lead byte of
// U+1000 or above, found without decoding, since every string of a
// report passes here.
func mayBeCJK(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0xE1 {
			return true
		}
	}
	return false
}

// use selects the font a run is drawn in.
func (t *typesetter) use(g glyphRun) {
	if !g.cjk {
		t.apply(fontChoice{pdfFont, t.style, t.size})
		return
	}
	// CJK has no italic: italic text takes the regular face.
	style, data := "", t.cjk.ttf
	if strings.Contains(t.style, "B") && t.cjk.bold != nil {
		style, data = "B", t.cjk.bold
	}
	if !t.cjkOn[style] {
		t.f.AddUTF8FontFromBytes(pdfCJKFont, style, data)
		t.cjkOn[style] = true
	}
	t.apply(fontChoice{pdfCJKFont, style, t.size})
}

// width measures a prepared line in the current style and size.
func (t *typesetter) width(line string) float64 {
	if isPlainASCII(line) {
		return t.f.GetStringWidth(line)
	}
	w := 0.0
	for _, g := range t.layout(line) {
		t.use(g)
		w += t.f.GetStringWidth(g.text)
	}
	t.apply(fontChoice{pdfFont, t.style, t.size})
	return w
}

// draw writes a prepared line with its left end at x and its baseline at
// y, and returns its width.
func (t *typesetter) draw(x, y float64, line string) float64 {
	x0 := x
	for _, g := range t.layout(line) {
		t.use(g)
		t.f.Text(x, y, g.text)
		x += t.f.GetStringWidth(g.text)
	}
	t.apply(fontChoice{pdfFont, t.style, t.size})
	return x - x0
}

// wrap breaks prepared text into lines no wider than w, between words
// where it can and inside a word longer than a line.
func (t *typesetter) wrap(s string, w float64) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		lines = append(lines, t.wrapParagraph(para, w)...)
	}
	return lines
}

func (t *typesetter) wrapParagraph(s string, w float64) []string {
	if t.width(s) <= w {
		return []string{s}
	}
	space := t.f.GetStringWidth(" ")
	var lines []string
	line, lineW := "", 0.0
	for _, word := range strings.Split(s, " ") {
		ww := t.width(word)
		switch {
		case line == "" && ww <= w:
			line, lineW = word, ww
		case line != "" && lineW+space+ww <= w:
			line, lineW = line+" "+word, lineW+space+ww
		default:
			if line != "" {
				lines = append(lines, line)
			}
			line, lineW = word, ww
			for lineW > w && len([]rune(line)) > 1 {
				head := t.fitRunes(line, w)
				lines = append(lines, head)
				line = line[len(head):]
				lineW = t.width(line)
			}
		}
	}
	return append(lines, line)
}

// fitRunes is the longest start of s, at least one character, that fits
// in w.
func (t *typesetter) fitRunes(s string, w float64) string {
	end := 0
	for i, r := range s {
		next := i + len(string(r))
		if end > 0 && t.width(s[:next]) > w {
			break
		}
		end = next
	}
	return s[:end]
}

// cjkNote says why CJK text printed as a placeholder; "" when none did.
func (t *typesetter) cjkNote() string {
	if !t.missingCJK {
		return ""
	}
	if t.cjkErr != nil {
		return "Text in Chinese, Japanese or Korean is shown as [CJK text]: this server's CJK font could not be used (" +
			t.cjkErr.Error() + "). Start parley with --pdf-font FILE naming another (.ttf, .otf or .ttc)."
	}
	return "Text in Chinese, Japanese or Korean is shown as [CJK text]: this server has no CJK font. " +
		"Install one (Debian: apt install fonts-noto-cjk) or start parley with --pdf-font FILE (.ttf, .otf or .ttc)."
}
