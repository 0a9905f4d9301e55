package report

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/go-pdf/fpdf"
	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	"golang.org/x/image/vector"
	"golang.org/x/text/unicode/norm"
)

// scriptSamples are names as parties write them, one per script the PDF
// must print; each must come back from the PDF as written.
var scriptSamples = map[string]string{
	"arabic":      "حماس",
	"hebrew":      "מדינת ישראל",
	"arabic name": "خليل الحية",
	"persian":     "جمهوری اسلامی ایران",
	"cyrillic":    "Российская Федерация",
	"greek":       "Ελληνική Δημοκρατία",
	"turkish":     "İstanbul, Dolmabahçe Sarayı, Dışişleri",
}

// mixedLine holds right-to-left names inside an English sentence; its
// words must come back in reading order.
var mixedLine = []string{"Hamas", "حماس", "and Israel", "מדינת ישראל", "met 2 times"}

var updatePNG = flag.Bool("update-png", false, "rewrite report/testdata/scripts-page1.png and cjk-page1.png")

// scriptsReport is the fixture with the Gaza talks' names in every
// script: as party names, aliases, delegation heads and a title.
func scriptsReport() *Report {
	s := fixtureSnapshot()
	s.Parties[0].Aliases = []string{scriptSamples["arabic"], scriptSamples["hebrew"]}
	s.Parties[1].Name = scriptSamples["persian"]
	s.Parties[1].Aliases = []string{scriptSamples["cyrillic"], scriptSamples["greek"]}
	s.Parties[2].Aliases = []string{scriptSamples["turkish"]}
	s.Delegations[0].HeadName = scriptSamples["arabic name"]
	s.Negotiation.Description = "Hamas (حماس) and Israel (מדינת ישראל) met 2 times. Handshake 🤝 and 中文 text."
	return Build(s, nil, fixtureGenerated)
}

// pdfTool runs a poppler tool on a PDF, skipping the test where poppler
// is missing outside CI.
func pdfTool(t *testing.T, pdf []byte, tool string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s (poppler-utils) is required in CI", tool)
		}
		t.Skipf("%s not installed", tool)
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	args = append(args, path)
	if tool == "pdftotext" {
		args = append(args, "-")
	}
	out, err := exec.Command(tool, args...).Output()
	if err != nil {
		t.Fatalf("%s: %v", tool, err)
	}
	return string(out)
}

// TestPDFPrintsEveryScript: pdftotext gives back every sample in logical
// order (after NFKC, which folds Arabic's joined forms back into letters),
// and the emoji and the CJK text print as something readable.
func TestPDFPrintsEveryScript(t *testing.T) {
	var buf bytes.Buffer
	if err := Render(&buf, "pdf", scriptsReport()); err != nil {
		t.Fatal(err)
	}
	text := norm.NFKC.String(pdfTool(t, buf.Bytes(), "pdftotext", "-enc", "UTF-8"))
	// pdftotext marks right-to-left text with embedding controls.
	text = strings.Join(strings.Fields(stripBidiMarks(text)), " ")
	for name, want := range scriptSamples {
		if !strings.Contains(text, want) {
			t.Errorf("%s: %q not in the PDF's text:\n%s", name, want, text)
		}
	}
	at := 0
	for _, w := range mixedLine {
		i := strings.Index(text[at:], w)
		if i < 0 {
			t.Errorf("mixed line: %q not after position %d:\n%s", w, at, text)
			break
		}
		at += i + len(w)
	}
	if !strings.Contains(text, "handshake") && !strings.Contains(text, "🤝") {
		t.Errorf("the emoji is neither printed nor named:\n%s", text)
	}
	if cjkFont() == nil && !strings.Contains(text, "[CJK text]") {
		t.Errorf("CJK text without a CJK font has no placeholder:\n%s", text)
	}
	if cjkFont() != nil && !strings.Contains(text, "中文") {
		t.Errorf("CJK text with a CJK font is missing:\n%s", text)
	}
	if strings.Contains(text, "?") && strings.Contains(text, "Handshake ?") {
		t.Error("the emoji printed as ?")
	}
}

// fontRow is a row of pdffonts: name, type, encoding, emb, sub, uni.
var fontRow = regexp.MustCompile(`^(\S+)\s+CID TrueType\s+Identity-H\s+(yes|no)\s+(yes|no)\s+(yes|no)`)

// TestPDFEmbedsSubsetFonts: pdffonts lists every font as embedded and as
// a subset (its name tagged "ABCDEF+").
func TestPDFEmbedsSubsetFonts(t *testing.T) {
	var buf bytes.Buffer
	if err := Render(&buf, "pdf", scriptsReport()); err != nil {
		t.Fatal(err)
	}
	out := pdfTool(t, buf.Bytes(), "pdffonts")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 3 {
		t.Fatalf("no fonts:\n%s", out)
	}
	for _, l := range lines[2:] {
		m := fontRow.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("unexpected font row %q", l)
			continue
		}
		if m[2] != "yes" || m[3] != "yes" || m[4] != "yes" {
			t.Errorf("font not embedded as a subset with a Unicode map: %q", l)
		}
		if !regexp.MustCompile(`^[A-Z]{6}\+`).MatchString(m[1]) {
			t.Errorf("font name %q has no subset tag", m[1])
		}
	}
}

// TestPDFScriptsPage renders the first page for a person to look at,
// kept as report/testdata/scripts-page1.png (rewritten with
// -update-png); the test checks only that the page renders.
func TestPDFScriptsPage(t *testing.T) {
	var buf bytes.Buffer
	if err := Render(&buf, "pdf", scriptsReport()); err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm not installed")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "r.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", path, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	png, err := os.ReadFile(filepath.Join(dir, "page-1.png"))
	if err != nil {
		t.Fatal(err)
	}
	if *updatePNG {
		if err := os.WriteFile("testdata/scripts-page1.png", png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func stripBidiMarks(s string) string {
	return strings.Map(func(r rune) rune {
		if (r >= 0x202A && r <= 0x202E) || r == 0x200E || r == 0x200F {
			return -1
		}
		return r
	}, s)
}

// cjkParties are three parties named in Chinese, Japanese and Korean;
// each name must come back from the PDF as written.
var cjkParties = []string{"中华人民共和国", "日本国", "대한민국"}

// cjkBeyondBMP has a Han character outside the Basic Multilingual Plane,
// which fpdf cannot address: it prints as its name.
const cjkBeyondBMP = "𠮷野家"

// cjkReport is the fixture with its first three parties named in CJK.
func cjkReport() *Report {
	s := fixtureSnapshot()
	for i, name := range cjkParties {
		s.Parties[i].Name = name
	}
	s.Negotiation.Description = "Talks between " + strings.Join(cjkParties, ", ") + " (中日韓, にほん, カタカナ, 한글). " + cjkBeyondBMP
	return Build(s, nil, fixtureGenerated)
}

// needCJKFont skips a test on a machine without a CJK font, and fails it
// in CI, which installs Debian's fonts-noto-cjk (.ci/run).
func needCJKFont(t *testing.T) {
	t.Helper()
	if cjkFont() != nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("no CJK font at %v: CI installs Debian's fonts-noto-cjk", cjkPaths)
	}
	t.Skipf("no CJK font at the usual paths (install Debian's fonts-noto-cjk to run this test)")
}

func renderPDFBytes(t *testing.T, r *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, "pdf", r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestPDFPrintsCJK: with a CJK font installed, pdftotext gives back the
// Chinese, Japanese and Korean names as written, with no placeholder and
// no note about a missing font; a character beyond the BMP, which fpdf
// cannot print, is named.
func TestPDFPrintsCJK(t *testing.T) {
	needCJKFont(t)
	pdf := renderPDFBytes(t, cjkReport())
	text := norm.NFKC.String(pdfTool(t, pdf, "pdftotext", "-enc", "UTF-8"))
	text = strings.Join(strings.Fields(text), " ")
	for _, want := range append(cjkParties, "中日韓", "にほん", "カタカナ", "한글") {
		if !strings.Contains(text, want) {
			t.Errorf("%q not in the PDF's text:\n%s", want, text)
		}
	}
	if strings.Contains(text, "[CJK text]") || strings.Contains(text, "no CJK font") {
		t.Errorf("CJK text printed as a placeholder although a CJK font is installed:\n%s", text)
	}
	if !strings.Contains(text, "[CJK ideograph U+20BB7]野家") {
		t.Errorf("a CJK character beyond the BMP is not named:\n%s", text)
	}
}

// TestPDFEmbedsCJKSubset: pdffonts lists the CJK font, and its bold where
// installed, embedded as subsets with a Unicode map, and the CJK names add well under 300 KB to
// the PDF of the same report without them.
func TestPDFEmbedsCJKSubset(t *testing.T) {
	needCJKFont(t)
	pdf := renderPDFBytes(t, cjkReport())
	out := pdfTool(t, pdf, "pdffonts")
	found := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n")[2:] {
		m := fontRow.FindStringSubmatch(l)
		if len(m) < 5 || !strings.Contains(m[1], "+CJKFont") {
			continue
		}
		found[m[1][strings.Index(m[1], "+")+1:]] = true
		if m[2] != "yes" || m[3] != "yes" || m[4] != "yes" {
			t.Errorf("CJK font not embedded as a subset with a Unicode map: %q", l)
		}
	}
	want := []string{"CJKFont"}
	if cjkFont().bold != nil {
		// The report's bold lines name parties in CJK.
		want = append(want, "CJKFontB")
	}
	for _, name := range want {
		if !found[name] {
			t.Errorf("no %s in the PDF:\n%s", name, out)
		}
	}
	plain := renderPDFBytes(t, Build(fixtureSnapshot(), nil, fixtureGenerated))
	added := len(pdf) - len(plain)
	t.Logf("PDF %d bytes with the CJK names, %d without: %d added", len(pdf), len(plain), added)
	if added > 300_000 {
		t.Errorf("the CJK names add %d bytes to the PDF", added)
	}
}

// TestPDFCJKPage renders the first page of the CJK report for a person
// to look at, kept as report/testdata/cjk-page1.png (rewritten with
// -update-png); TestPDFCJKGlyphsMatchTheFont checks the glyphs' shapes.
func TestPDFCJKPage(t *testing.T) {
	needCJKFont(t)
	png := renderPage1(t, renderPDFBytes(t, cjkReport()))
	if *updatePNG {
		if err := os.WriteFile("testdata/cjk-page1.png", png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// renderPage1 is the first page of a PDF as a PNG at 80 dpi.
func renderPage1(t *testing.T, pdf []byte) []byte {
	t.Helper()
	return renderPage(t, pdf, 80)
}

// renderPage is the first page of a PDF as a PNG at dpi.
func renderPage(t *testing.T, pdf []byte, dpi int) []byte {
	t.Helper()
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftoppm (poppler-utils) is required in CI")
		}
		t.Skip("pdftoppm not installed")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "r.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-png", "-r", strconv.Itoa(dpi), "-f", "1", "-l", "1", path, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	png, err := os.ReadFile(filepath.Join(dir, "page-1.png"))
	if err != nil {
		t.Fatal(err)
	}
	return png
}

// BenchmarkReportCJK is the walk over a COP-scale report that finds its
// CJK characters, which a PDF makes when it meets the first (a report
// without CJK text never does).
func BenchmarkReportCJK(b *testing.B) {
	r := Build(cop(), nil, fixtureGenerated)
	for b.Loop() {
		if len(reportCJK(r)) != 0 {
			b.Fatal("CJK in the COP fixture")
		}
	}
}

// withCJKFont makes f the CJK font for the rest of the test, as if it
// were the only one installed (nil: none is).
func withCJKFont(t *testing.T, f *cjkSource) {
	t.Helper()
	cjkMu.Lock()
	old, oldChecked := cjkFace, cjkChecked
	cjkFace, cjkChecked = f, true
	cjkMu.Unlock()
	t.Cleanup(func() {
		cjkMu.Lock()
		cjkFace, cjkChecked = old, oldChecked
		cjkMu.Unlock()
	})
}

// TestPDFWithoutCJKFont: on a server without a CJK font, CJK names print
// as a placeholder, never as boxes, the report ends with a note that
// says what to install, and no CJK font is embedded.
func TestPDFWithoutCJKFont(t *testing.T) {
	withCJKFont(t, nil)
	pdf := renderPDFBytes(t, cjkReport())
	text := strings.Join(strings.Fields(pdfTool(t, pdf, "pdftotext", "-enc", "UTF-8")), " ")
	if !strings.Contains(text, "[CJK text]: principal") {
		t.Errorf("no placeholder for a CJK party name:\n%s", text)
	}
	if !strings.Contains(text, "this server has no CJK font") || !strings.Contains(text, "fonts-noto-cjk") {
		t.Errorf("no note on the missing CJK font:\n%s", text)
	}
	for _, name := range cjkParties {
		if strings.Contains(text, name) {
			t.Errorf("%q printed without a font", name)
		}
	}
	if out := pdfTool(t, pdf, "pdffonts"); strings.Contains(out, "CJKFont") {
		t.Errorf("a CJK font is embedded:\n%s", out)
	}
}

// TestUsePDFFont: --pdf-font takes a collection and picks its Simplified
// Chinese face; it refuses, naming why, a file that is not a font and a
// font without CJK characters.
func TestUsePDFFont(t *testing.T) {
	withCJKFont(t, nil)
	notAFont := filepath.Join(t.TempDir(), "notes.ttf")
	if err := os.WriteFile(notAFont, []byte("not a font at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	dejavu := filepath.Join(t.TempDir(), "DejaVuSans.ttf")
	if err := os.WriteFile(dejavu, dejavusans.TTF, 0o644); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		notAFont:                "not a TrueType or OpenType font",
		dejavu:                  "no Chinese, Japanese or Korean characters",
		"/nonexistent/font.ttc": "no such file",
	} {
		if err := UsePDFFont(path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("UsePDFFont(%s) = %v, want an error saying %q", path, err, want)
		}
	}
	if cjkFont() != nil {
		t.Error("a refused font is in use")
	}
	const noto = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
	if _, err := os.Stat(noto); err != nil {
		needCJKFont(t)
		t.Skipf("%s not here: the rest needs Debian's fonts-noto-cjk", noto)
	}
	if err := UsePDFFont(noto); err != nil {
		t.Fatal(err)
	}
	if f := cjkFont(); f == nil || f.src.Family != preferredCJKFamily || !f.src.Cubic {
		t.Fatalf("font in use: %+v", f)
	}
}

// TestPDFCJKGlyphsMatchTheFont: poppler draws the PDF's CJK glyphs as the
// installed font's own outlines are: each character printed 100 pt high
// and rendered at 72 dpi inks the pixels that the font's outline,
// rasterized directly (golang.org/x/image/vector), inks, to within a
// pixel, save 1%. A glyph lost, boxed, turned inside out or misplaced
// fails it.
func TestPDFCJKGlyphsMatchTheFont(t *testing.T) {
	needCJKFont(t)
	src := cjkFont().src
	const size = 100.0
	// Two columns of three, far enough apart that the box around one
	// character holds no other.
	origin := func(i int) (x, y float64) { return 60 + 270*float64(i%2), 180 + 220*float64(i/2) }
	chars := []rune("中国日本한국")
	f := fpdf.New("P", "pt", "A4", "")
	ts, err := newTypesetter(f, &Report{Title: string(chars)})
	if err != nil {
		t.Fatal(err)
	}
	f.AddPage()
	ts.setFont("", size)
	for i, r := range chars {
		x, y := origin(i)
		ts.draw(x, y, ts.prepare(string(r)))
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		t.Fatal(err)
	}
	page, err := png.Decode(bytes.NewReader(renderPage(t, buf.Bytes(), 72)))
	if err != nil {
		t.Fatal(err)
	}
	b := page.Bounds()
	scale := size / float64(src.Face.Upem())
	for i, r := range chars {
		gid, _ := src.Face.NominalGlyph(r)
		outline, _ := src.Face.GlyphDataOutline(gid)
		want := image.NewAlpha(b)
		z := vector.NewRasterizer(b.Dx(), b.Dy())
		left, y0 := origin(i)
		at := func(p font.SegmentPoint) (float32, float32) {
			return float32(left + float64(p.X)*scale), float32(y0 - float64(p.Y)*scale)
		}
		for _, s := range outline.Segments {
			switch s.Op {
			case ot.SegmentOpMoveTo:
				z.ClosePath()
				z.MoveTo(at(s.Args[0]))
			case ot.SegmentOpLineTo:
				z.LineTo(at(s.Args[0]))
			case ot.SegmentOpQuadTo:
				x1, y1 := at(s.Args[0])
				x2, y2 := at(s.Args[1])
				z.QuadTo(x1, y1, x2, y2)
			case ot.SegmentOpCubeTo:
				x1, y1 := at(s.Args[0])
				x2, y2 := at(s.Args[1])
				x3, y3 := at(s.Args[2])
				z.CubeTo(x1, y1, x2, y2, x3, y3)
			}
		}
		z.ClosePath()
		z.Draw(want, b, image.Opaque, image.Point{})
		inPDF := func(x, y int) bool { return color.GrayModel.Convert(page.At(x, y)).(color.Gray).Y < 128 }
		inFont := func(x, y int) bool { return want.AlphaAt(x, y).A >= 128 }
		// Two rasterizers may round an edge that falls halfway across a
		// pixel differently: a pixel inked by one counts as shared when
		// the other inks it or a neighbour.
		near := func(in func(x, y int) bool, x, y int) bool {
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					if in(x+dx, y+dy) {
						return true
					}
				}
			}
			return false
		}
		ink, apart := 0, 0
		for y := int(y0 - 1.3*size); y < int(y0+0.5*size); y++ {
			for x := int(left - 0.2*size); x < int(left+1.3*size); x++ {
				p, f := inPDF(x, y), inFont(x, y)
				if p || f {
					ink++
				}
				if (p && !near(inFont, x, y)) || (f && !near(inPDF, x, y)) {
					apart++
				}
			}
		}
		if ink < 500 || float64(apart) > 0.01*float64(ink) {
			t.Errorf("%c: of %d pixels inked by the PDF or the font, %d are more than a pixel from the other's ink", r, ink, apart)
			continue
		}
		t.Logf("%c: of %d pixels inked, %d more than a pixel apart", r, ink, apart)
	}
}

// TestPDFsRenderConcurrently: a server renders PDFs at the same time,
// all reading the same parsed fonts; run under -race, this shows they
// share no unguarded state (the fonts' glyph caches among it).
func TestPDFsRenderConcurrently(t *testing.T) {
	reports := []*Report{scriptsReport(), cjkReport(), scriptsReport(), cjkReport()}
	errs := make(chan error, len(reports))
	for _, r := range reports {
		go func() {
			var buf bytes.Buffer
			errs <- Render(&buf, "pdf", r)
		}()
	}
	for range reports {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// BenchmarkPDFCJK is the PDF of the small fixture with its parties named
// in CJK, the CJK font already parsed (once per process): what a
// document with CJK text costs over BenchmarkPDFNoCJK, the same without.
func BenchmarkPDFCJK(b *testing.B) {
	if cjkFont() == nil {
		b.Skip("no CJK font installed")
	}
	benchmarkPDF(b, cjkReport())
}

// BenchmarkPDFNoCJK is BenchmarkPDFCJK's fixture with its parties' own
// names.
func BenchmarkPDFNoCJK(b *testing.B) {
	benchmarkPDF(b, Build(fixtureSnapshot(), nil, fixtureGenerated))
}

func benchmarkPDF(b *testing.B, r *Report) {
	for b.Loop() {
		if err := Render(io.Discard, "pdf", r); err != nil {
			b.Fatal(err)
		}
	}
}
