package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/parley/parley/domain"
	"github.com/parley/parley/report"
	"github.com/parley/parley/store"
)

func cmdReport(ctx context.Context, args []string, env *environment) error {
	f := newFlags("report", "report --negotiation ID|TITLE --format FORMAT [--as-of T | --as-of-round ROUND_ID] [--recorded-as-of T] [--since T] [--layout full|brief] [--audience TLP:…] [--pdf-font FONT_FILE] [-o FILE] [--db PATH_OR_URL]",
		"Writes a negotiation's status report. Formats: "+strings.Join(report.FormatNames(), ", ")+" (md for markdown).\n"+
			"--negotiation takes the negotiation's id, a prefix of its id or its exact title\n"+
			"(parley negotiations lists them).\n"+
			"T is an RFC 3339 time (2025-05-16T12:00:00Z) or a date (2025-05-16): as --as-of or\n"+
			"--recorded-as-of the end of that day, as --since its start (UTC).\n"+
			"--as-of and --as-of-round are negotiation time (when things happened in the talks);\n"+
			"--recorded-as-of is record time (what the database held then).\n"+
			"--audience (TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT, TLP:RED) leaves out\n"+
			"everything marked above that level before anything is counted.")
	negotiation := f.String("negotiation", "", "the negotiation's id, id prefix or title (required)")
	format := f.String("format", "", strings.Join(report.FormatNames(), ", ")+" (md for markdown; required)")
	asOf := f.String("as-of", "", "report the negotiation as it stood at this time in the talks (default: now)")
	asOfRound := f.String("as-of-round", "", "report the negotiation as it stood at the end of this round")
	recordedAsOf := f.String("recorded-as-of", "", "report what had been recorded by this time (default: everything)")
	since := f.String("since", "", "list what changed since this time")
	layout := f.String("layout", "full", "full, or brief: at most two A4 pages (markdown, html and pdf)")
	audience := f.String("audience", "", "leave out everything marked above this TLP marking")
	pdfFont := pdfFontFlag(f)
	out := f.String("o", "", "write to this file (default: standard output)")
	db := dbFlag(f)
	if err := f.parseNoArgs(args, env, "negotiation"); err != nil {
		return err
	}
	*format = reportFormatAlias(*format)
	if _, ok := report.LookupFormat(*format); !ok {
		return usagef("report: --format must be one of %s (or md for markdown), not %q", strings.Join(report.FormatNames(), ", "), *format)
	}
	if *asOf != "" && *asOfRound != "" {
		return usagef("report: give --as-of or --as-of-round, not both")
	}
	audienceValue := ""
	if *audience != "" {
		m, ok := domain.ParseHandling(*audience)
		if !ok {
			return usagef("report: --audience must be one of %s", domain.HandlingMarkings().String())
		}
		audienceValue = m
	}
	if !slices.Contains(report.Layouts, *layout) {
		return usagef("report: --layout must be one of %s", strings.Join(report.Layouts, ", "))
	}
	if !report.HasLayout(*format, *layout) {
		return usagef("report: --layout brief comes in %s only", strings.Join(report.BriefFormats, ", "))
	}
	if err := usePDFFont(*pdfFont); err != nil {
		return usagef("report: --pdf-font: %v", err)
	}
	var at domain.Moment
	var sinceTime time.Time
	for _, p := range []struct {
		flag, value string
		end         bool
		dst         *time.Time
	}{{"as-of", *asOf, true, &at.AsOf}, {"recorded-as-of", *recordedAsOf, true, &at.RecordedAsOf}, {"since", *since, false, &sinceTime}} {
		if p.value == "" {
			continue
		}
		t, err := domain.ParseInstant(p.value, p.end)
		if err != nil {
			return usagef("report: --%s: %v", p.flag, err)
		}
		*p.dst = t
	}
	return withStore(ctx, *db, func(s *store.Store) error {
		neg, err := resolveNegotiation(ctx, s, *negotiation)
		if err != nil {
			return fmt.Errorf("report: --negotiation: %w", err)
		}
		*negotiation = neg.ID
		if *asOfRound != "" {
			r, err := s.Get(ctx, domain.KindRound, *asOfRound)
			round, ok := r.(*domain.Round)
			if err != nil || !ok || round.NegotiationID != *negotiation {
				return fmt.Errorf("--as-of-round: no round %s in negotiation %s", *asOfRound, *negotiation)
			}
			at.AsOf = domain.RoundEnd(round)
		}
		opts := report.Options{At: at, Since: sinceTime, Audience: audienceValue, Layout: *layout}
		rep, err := report.Load(ctx, s, *negotiation, opts, time.Now().UTC(), report.DrawsTimelineIn(*format, *layout))
		if err != nil {
			var nf *domain.NotFoundError
			if errors.As(err, &nf) && at.IsNow() {
				return fmt.Errorf("no negotiation %s", *negotiation)
			}
			if errors.As(err, &nf) {
				return fmt.Errorf("no negotiation %s as of %s", *negotiation, formatMoment(at))
			}
			return fmt.Errorf("load the negotiation: %w", err)
		}
		return writeOutput(*out, env.stdout, 0o644, func(w io.Writer) error {
			return report.RenderLayout(w, *format, *layout, rep)
		})
	})
}

// pdfFontFlag is --pdf-font: the font PDF reports print Chinese, Japanese
// and Korean in, where none is found at the usual paths.
func pdfFontFlag(f *flags) *string {
	return f.String("pdf-font", os.Getenv("PARLEY_PDF_FONT"), "a font for Chinese, Japanese and Korean in PDF reports, .ttf, .otf or .ttc such as Debian's fonts-noto-cjk (env PARLEY_PDF_FONT; default: one found at the usual font paths)")
}

func usePDFFont(path string) error {
	if path == "" {
		return nil
	}
	return report.UsePDFFont(path)
}

// formatMoment names the instant a report was asked for, as the command
// line took it.
func formatMoment(at domain.Moment) string {
	var parts []string
	if !at.AsOf.IsZero() {
		parts = append(parts, at.AsOf.Format(time.RFC3339))
	}
	if !at.RecordedAsOf.IsZero() {
		parts = append(parts, "recorded as of "+at.RecordedAsOf.Format(time.RFC3339))
	}
	return strings.Join(parts, ", ")
}
