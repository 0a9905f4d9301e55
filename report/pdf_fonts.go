package report

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/go-fonts/dejavu/dejavusansbold"
	"github.com/go-fonts/dejavu/dejavusansoblique"
	"github.com/go-text/typesetting/font"
)

// The PDF is set in DejaVu Sans, embedded in the binary: one family that
// covers Latin with Turkish, Greek, Cyrillic, Hebrew, Arabic with the
// Persian letters, and Arabic's contextual letter forms as code points,
// which is how the shaper's output reaches fpdf (see pdf_text.go). fpdf
// embeds only the glyphs a document uses.
const (
	pdfFont    = "dejavusanspdf"
	pdfCJKFont = "cjkfontpdf"
)

// subsetNames renames the embedded fonts as a subset is named in PDF, a
// six-letter tag and "+", so viewers and pdffonts know that only the
// glyphs used are there. fpdf names them "utf8" and the family; each new
// name is exactly as long as the old, so no byte offset in the file moves.
var subsetNames = [][2][]byte{
	{[]byte("/utf8dejavusanspdfB"), []byte("/PRLYAB+DejaVuSansB")},
	{[]byte("/utf8dejavusanspdfI"), []byte("/PRLYAC+DejaVuSansI")},
	{[]byte("/utf8dejavusanspdf"), []byte("/PRLYAA+DejaVuSans")},
	{[]byte("/utf8cjkfontpdfB"), []byte("/PRLYAE+CJKFontB")},
	{[]byte("/utf8cjkfontpdf"), []byte("/PRLYAD+CJKFont")},
}

// nameSubsets applies subsetNames to a finished PDF.
func nameSubsets(pdf []byte) []byte {
	for _, n := range subsetNames {
		pdf = bytes.ReplaceAll(pdf, n[0], n[1])
	}
	return pdf
}

// pdfFace is one embedded style: its bytes for fpdf, and the parsed face
// the shaper and the coverage checks read.
type pdfFace struct {
	ttf  []byte
	face *font.Face
	// formOf maps a glyph the shaper chose back to the code point that
	// names it in the font, so fpdf, which addresses glyphs by code
	// point, draws that very glyph.
	formOf map[font.GID]rune
}

var (
	facesOnce sync.Once
	faces     map[string]*pdfFace // by fpdf style: "", "B", "I"
	facesErr  error
)

// documentFaces are the embedded fonts for one document. The fonts are
// parsed once per process and shared; a font.Face is not (it caches the
// glyphs it looks up, unguarded), so each document gets faces of its own
// over the shared fonts, and documents can be made concurrently.
func documentFaces() (map[string]*pdfFace, error) {
	shared, err := loadFaces()
	if err != nil {
		return nil, err
	}
	out := make(map[string]*pdfFace, len(shared))
	for style, f := range shared {
		own := *f
		own.face = font.NewFace(f.face.Font)
		out[style] = &own
	}
	return out, nil
}

// loadFaces parses the embedded fonts once per process.
func loadFaces() (map[string]*pdfFace, error) {
	facesOnce.Do(func() {
		faces = map[string]*pdfFace{}
		for style, ttf := range map[string][]byte{"": dejavusans.TTF, "B": dejavusansbold.TTF, "I": dejavusansoblique.TTF} {
			f, err := newPDFFace(ttf)
			if err != nil {
				facesErr = fmt.Errorf("embedded PDF font %q: %w", style, err)
				return
			}
			faces[style] = f
		}
	})
	return faces, facesErr
}

func newPDFFace(ttf []byte) (*pdfFace, error) {
	face, err := font.ParseTTF(bytes.NewReader(ttf))
	if err != nil {
		return nil, err
	}
	f := &pdfFace{ttf: ttf, face: face, formOf: map[font.GID]rune{}}
	// Presentation forms first, then the base letters over them: where a
	// form is the same glyph as its letter, the letter is the better name.
	for _, span := range [][2]rune{{0xFB50, 0xFDFF}, {0xFE70, 0xFEFF}, {0x0600, 0x06FF}, {0x0750, 0x077F}, {0x200C, 0x200D}} {
		for r := span[0]; r <= span[1]; r++ {
			if g, ok := face.NominalGlyph(r); ok && g != 0 {
				f.formOf[g] = r
			}
		}
	}
	return f, nil
}

// covers reports whether the face has a glyph for r.
func (f *pdfFace) covers(r rune) bool {
	g, ok := f.face.NominalGlyph(r)
	return ok && g != 0
}
