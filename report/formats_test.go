package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestFormatTableIsWhole(t *testing.T) {
	names, exts := map[string]bool{}, map[string]bool{}
	for _, f := range Formats() {
		if f.Name == "" || f.ContentType == "" || f.Extension == "" || f.Label == "" || f.render == nil {
			t.Errorf("format %q lacks a column: %+v", f.Name, f)
		}
		if names[f.Name] || exts[f.Extension] {
			t.Errorf("format %q repeats a name or an extension", f.Name)
		}
		names[f.Name], exts[f.Extension] = true, true
		if got, ok := LookupFormat(f.Name); !ok || got.Name != f.Name || ContentType(f.Name) != f.ContentType {
			t.Errorf("LookupFormat(%q) = %v, %v", f.Name, got.Name, ok)
		}
	}
	if len(names) != len(FormatNames()) {
		t.Errorf("FormatNames has %d names, the table %d", len(FormatNames()), len(names))
	}
	fs := Formats()
	fs[0].Name = "tampered"
	if Formats()[0].Name == "tampered" {
		t.Error("the format table changed through a copy")
	}
}

func TestRenderRefusesAnUnknownFormat(t *testing.T) {
	if _, ok := LookupFormat("docx"); ok {
		t.Fatal("docx is not a format")
	}
	err := Render(&bytes.Buffer{}, "docx", nil)
	if err == nil || !strings.Contains(err.Error(), strings.Join(FormatNames(), ", ")) {
		t.Errorf("Render(docx) = %v, want an error listing the formats", err)
	}
	if ContentType("docx") != "" || DrawsTimeline("docx") {
		t.Error("an unknown format has a content type or draws a timeline")
	}
}
