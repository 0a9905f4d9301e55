package report

import (
	"bufio"
	"embed"
	"html/template"
	"io"
	"strings"
)

//go:embed templates/report.html templates/grid.html templates/marking.html
var templates embed.FS

// htmlReport is parsed once; html/template escapes every value a user typed
// according to where it lands (text, attribute, URL).
var htmlReport = template.Must(template.New("report.html").Funcs(template.FuncMap{
	"asOf":              asOfText,
	"handlingText":      handlingText,
	"handlingClass":     handlingClass,
	"instant":           formatInstant,
	"humanize":          humanize,
	"counts":            countsText,
	"join":              func(s []string) string { return strings.Join(s, ", ") },
	"whenWhere":         roundWhenWhere,
	"head":              delegationHead,
	"members":           membersText,
	"inc":               func(i int) int { return i + 1 },
	"termRow":           termRowText,
	"stateText":         topicStateText,
	"stances":           stancesText,
	"threadLines":       threadLines,
	"cite":              citeText,
	"terms":             termsText,
	"sinceHeading":      sinceHeading,
	"sinceWindow":       sinceWindow,
	"nothingMoved":      nothingMoved,
	"movedTopics":       movedTopics,
	"moveLine":          moveLine,
	"unmoved":           unmovedText,
	"otherMovesHeading": func() string { return otherMovesHeading },
	"source":            sourceText,
	"grading":           gradingText,
	"timeline":          NewTimelineView,
	"pastObjection":     pastObjection,
	"unsourcedHeading":  unsourcedHeading,
	"claimLine":         claimLine,
	"objectionLead":     objectionLead,
	"objectionKind":     objectionKind,
	"grid":              gridFull,
	"markingContent":    markingContent,
}).ParseFS(templates, "templates/report.html", "templates/grid.html", "templates/marking.html"))

func renderHTML(w io.Writer, r *Report) error {
	b := bufio.NewWriterSize(w, 64<<10)
	if err := htmlReport.Execute(b, r); err != nil {
		return err
	}
	return b.Flush()
}
