package report

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/font/opentype/tables"

	"github.com/parley/parley/report/ttf"
)

// The CJK font: DejaVu has no Chinese, Japanese or Korean, and a CJK font
// is too large to embed in the binary, so the PDF uses one installed on
// the machine, named by --pdf-font or found at the usual paths: a
// TrueType or OpenType font, single or a collection (.ttc), with
// TrueType or CFF outlines, such as Debian's fonts-noto-cjk. fpdf embeds
// TrueType outlines only, so each document gets a small TrueType font of
// its own CJK characters, written by package ttf (CFF's cubic curves
// turned into quadratics); fpdf then embeds, of that, the glyphs printed.

// cjkPaths are where Linux distributions install a CJK font, most
// complete first.
var cjkPaths = []string{
	"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",              // Debian, Ubuntu: fonts-noto-cjk
	"/usr/share/fonts/google-noto-sans-cjk-fonts/NotoSansCJK-Regular.ttc", // Fedora: google-noto-sans-cjk-fonts
	"/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",            // Fedora before 36
	"/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",                   // Arch: noto-fonts-cjk
	"/usr/share/fonts/noto/NotoSansCJK-Regular.ttc",                       // Alpine: font-noto-cjk
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",           // Debian: fonts-droid-fallback
	"/usr/share/fonts/truetype/droid/DroidSansFallback.ttf",
	"/usr/share/fonts/opentype/ipafont-gothic/ipagp.ttf",
	"/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
	"/usr/share/fonts/truetype/unfonts-core/UnDotum.ttf",
	"/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
}

// cjkGlyphCache is how many converted glyphs each CJK face keeps for the
// next PDF: the characters of everyday Chinese, Japanese and Korean, at
// some 300 bytes each, 6 MB at most.
const cjkGlyphCache = 20000

// preferredCJKFamily is the face taken from a collection that has it:
// Noto Sans CJK draws Han characters the way one region writes them,
// and its collection holds one face per region: Simplified Chinese, the
// most widely read, is the one taken.
const preferredCJKFamily = "Noto Sans CJK SC"

// cjkSource is an installed CJK font, parsed once per process.
type cjkSource struct {
	path string
	src  ttf.Source
	// bold is the bold face of the same family, when installed beside
	// it (Debian's fonts-noto-cjk has NotoSansCJK-Bold.ttc); bold text
	// is set in it.
	bold *ttf.Source
}

var (
	cjkMu      sync.Mutex
	cjkFace    *cjkSource
	cjkChecked bool
)

// UsePDFFont sets the font the PDF prints Chinese, Japanese and Korean
// in: a .ttf, .otf or .ttc file. It fails, naming why, for a file that is
// not a font, whose licence forbids embedding, or that has no CJK glyphs.
func UsePDFFont(path string) error {
	f, err := readCJKFont(path)
	if err != nil {
		return err
	}
	cjkMu.Lock()
	defer cjkMu.Unlock()
	cjkFace, cjkChecked = f, true
	return nil
}

// cjkFont is the CJK font in use: the one UsePDFFont set, else the first
// usable font at the usual paths, else nil. It is looked for the first
// time a document holds CJK text, so a process that prints none never
// reads a font file.
func cjkFont() *cjkSource {
	cjkMu.Lock()
	defer cjkMu.Unlock()
	if !cjkChecked {
		cjkChecked = true
		for _, p := range cjkPaths {
			if f, err := readCJKFont(p); err == nil {
				cjkFace = f
				break
			}
		}
	}
	return cjkFace
}

func readCJKFont(path string) (*cjkSource, error) {
	src, err := readCJKFace(path, preferredCJKFamily)
	if err != nil {
		return nil, err
	}
	f := &cjkSource{path: path, src: src}
	// The bold face: the same file name with Bold for Regular, and the
	// same family; none when that file is missing or unusable.
	if bold := strings.Replace(path, "Regular", "Bold", 1); bold != path {
		if b, err := readCJKFace(bold, src.Family); err == nil && b.Family == src.Family {
			f.bold = &b
		}
	}
	return f, nil
}

// readCJKFace reads the face of family, else the first CJK one, from a
// font file.
func readCJKFace(path, family string) (ttf.Source, error) {
	data, err := os.ReadFile(path) //nolint:gosec // G304: the operator's --pdf-font, or a system font path
	if err != nil {
		return ttf.Source{}, err
	}
	loaders, err := ot.NewLoaders(bytes.NewReader(data))
	if err != nil {
		return ttf.Source{}, fmt.Errorf("%s: not a TrueType or OpenType font: %w", path, err)
	}
	ld, face, err := pickCJKFace(loaders, family)
	if err != nil {
		return ttf.Source{}, fmt.Errorf("%s: %w", path, err)
	}
	if err := embeddable(ld); err != nil {
		return ttf.Source{}, fmt.Errorf("%s: %w", path, err)
	}
	if g, _ := face.NominalGlyph(firstCJK(face)); !hasOutline(face, g) {
		return ttf.Source{}, errors.New(path + ": the font has no outlines for its CJK characters (a bitmap or colour font?)")
	}
	return ttf.Source{
		Face:      face,
		Cache:     ttf.NewCache(cjkGlyphCache),
		Cubic:     ld.HasTable(ot.MustNewTag("CFF ")) || ld.HasTable(ot.MustNewTag("CFF2")),
		Family:    face.Describe().Family,
		Copyright: copyright(ld),
		Weight:    int(face.Describe().Aspect.Weight),
	}, nil
}

// pickCJKFace chooses the face of a font file: the one of family, else
// the first with CJK characters.
func pickCJKFace(loaders []*ot.Loader, family string) (*ot.Loader, *font.Face, error) {
	order := make([]*ot.Loader, 0, len(loaders))
	for _, ld := range loaders {
		if d, _ := font.Describe(ld, nil); d.Family == family {
			order = append(order, ld)
		}
	}
	for _, ld := range loaders {
		if !slices.Contains(order, ld) {
			order = append(order, ld)
		}
	}
	var firstErr error
	for _, ld := range order {
		ft, err := font.NewFont(ld)
		if err != nil {
			firstErr = cmpOr(firstErr, err)
			continue
		}
		face := font.NewFace(ft)
		if firstCJK(face) != 0 {
			return ld, face, nil
		}
	}
	if firstErr != nil {
		return nil, nil, firstErr
	}
	return nil, nil, errors.New("the font has no Chinese, Japanese or Korean characters")
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// firstCJK is the first of a Han, a kana and a Hangul character that the
// face has, or 0.
func firstCJK(face *font.Face) rune {
	for _, r := range []rune{'中', 'あ', '한'} {
		if g, ok := face.NominalGlyph(r); ok && g != 0 {
			return r
		}
	}
	return 0
}

func hasOutline(face *font.Face, g font.GID) bool {
	o, ok := face.GlyphDataOutline(g)
	return ok && len(o.Segments) > 0
}

// embeddable refuses a font whose OS/2 embedding bits (fsType) forbid
// embedding it in a document: "restricted licence", or bitmaps only.
func embeddable(ld *ot.Loader) error {
	if !ld.HasTable(ot.MustNewTag("OS/2")) {
		return nil // no OS/2 table: no restriction stated
	}
	os2, err := ld.RawTable(ot.MustNewTag("OS/2"))
	if err != nil || len(os2) < 10 {
		return fmt.Errorf("the font's OS/2 table cannot be read: %v", err)
	}
	fsType := binary.BigEndian.Uint16(os2[8:])
	if fsType&0x000F == 0x0002 || fsType&0x0200 != 0 {
		return fmt.Errorf("the font's licence forbids embedding it in a document (OS/2 fsType %#04x)", fsType)
	}
	return nil
}

// copyright is the font's copyright notice, kept in the subset.
func copyright(ld *ot.Loader) string {
	raw, err := ld.RawTable(ot.MustNewTag("name"))
	if err != nil {
		return ""
	}
	names, _, err := tables.ParseName(raw)
	if err != nil {
		return ""
	}
	return names.Name(0)
}

// cjkDoc is a document's CJK font: a TrueType font holding the glyphs
// of the CJK characters the document has and the CJK font has, and its
// bold when the bold face holds the same characters.
type cjkDoc struct {
	ttf, bold []byte
	held      map[rune]bool
}

func (c *cjkDoc) covers(r rune) bool { return c != nil && c.held[r] }

// newCJKDoc writes the CJK font for the characters in runes; nil when
// there are none or no CJK font is installed.
func newCJKDoc(src *cjkSource, runes []rune) (*cjkDoc, error) {
	if src == nil || len(runes) == 0 {
		return nil, nil
	}
	data, held, err := ttf.Subset(ownFace(src.src), runes)
	if err != nil {
		return nil, fmt.Errorf("CJK font %s: %w", src.path, err)
	}
	if len(held) == 0 {
		return nil, nil
	}
	doc := &cjkDoc{ttf: data, held: make(map[rune]bool, len(held))}
	for _, r := range held {
		doc.held[r] = true
	}
	if src.bold != nil {
		bold, boldHeld, err := ttf.Subset(ownFace(*src.bold), runes)
		if err == nil && slices.Equal(boldHeld, held) {
			doc.bold = bold
		}
	}
	return doc, nil
}

// ownFace gives s a face of its own over its parsed font, which is
// shared: a font.Face caches what it looks up, unguarded, and documents
// are made concurrently.
func ownFace(s ttf.Source) ttf.Source {
	s.Face = font.NewFace(s.Face.Font)
	return s
}

// reportCJK lists the CJK characters anywhere in a report's text, each
// once: what the document's CJK font must hold (see loadCJK).
func reportCJK(r *Report) []rune {
	seen := map[rune]bool{}
	var out []rune
	walkStrings(reflect.ValueOf(r), map[uintptr]bool{}, func(s string) {
		if !mayBeCJK(s) {
			return
		}
		for _, c := range s {
			if isCJK(c) && !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	})
	return out
}

// walkStrings calls f on every string reachable from v: fields, elements,
// map keys and values, through pointers and interfaces, each pointer once.
func walkStrings(v reflect.Value, visited map[uintptr]bool, f func(string)) {
	if !v.IsValid() || v.Type() == timeType {
		return
	}
	switch v.Kind() {
	case reflect.String:
		f(v.String())
	case reflect.Pointer:
		if v.IsNil() || visited[v.Pointer()] {
			return
		}
		visited[v.Pointer()] = true
		walkStrings(v.Elem(), visited, f)
	case reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), visited, f)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			walkStrings(v.Field(i), visited, f)
		}
	case reflect.Slice, reflect.Array:
		if !holdsStrings(v.Type().Elem()) {
			return
		}
		for i := range v.Len() {
			walkStrings(v.Index(i), visited, f)
		}
	case reflect.Map:
		if !holdsStrings(v.Type().Key()) && !holdsStrings(v.Type().Elem()) {
			return
		}
		it := v.MapRange()
		for it.Next() {
			walkStrings(it.Key(), visited, f)
			walkStrings(it.Value(), visited, f)
		}
	}
}

var timeType = reflect.TypeFor[time.Time]()

// holdsStrings reports whether a value of type t can reach a string, so
// that a []byte or a []int is not walked element by element.
func holdsStrings(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128, reflect.Func, reflect.Chan,
		reflect.UnsafePointer:
		return false
	}
	return true
}

// isCJK reports whether r is written in a CJK script. The scripts'
// blocks start at U+1100 (Hangul Jamo, to U+11FF) and at U+2E80, so the
// punctuation and symbols between, which reports are full of, are turned
// away before the script tables are searched.
func isCJK(r rune) bool {
	if r < 0x1100 || (r > 0x11FF && r < 0x2E80) {
		return false
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Bopomofo) ||
		(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}
