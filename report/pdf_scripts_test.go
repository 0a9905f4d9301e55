package report

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

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

var updatePNG = flag.Bool("update-png", false, "rewrite report/testdata/scripts-page1.png")

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
	row := regexp.MustCompile(`^(\S+)\s+CID TrueType\s+Identity-H\s+(yes|no)\s+(yes|no)\s+(yes|no)`)
	for _, l := range lines[2:] {
		m := row.FindStringSubmatch(l)
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
