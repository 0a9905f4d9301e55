package domain

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Days as people type them. The contract's form is YYYY-MM-DD, and the API
// keeps to it; the web forms also take the other forms that cannot be
// misread: the year first (2025/01/10), the month as a word (10 Jan
// 2025, January 10, 2025), or a day and a month as numbers that only one
// way makes a day (13/01/2025). 06/01/2025 is 6 January in Europe and
// 1 June in the United States, so it is refused with both readings rather
// than guessed.

var (
	yearFirst = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$`)
	// "10 Jan 2025", "10-Jan-2025", "10th January 2025", "10 Jan. 2025".
	dayMonthYear = regexp.MustCompile(`^(\d{1,2})(?:st|nd|rd|th)?[\s\-/.]+([[:alpha:]]+)\.?,?[\s\-/.]+(\d{4})$`)
	// "Jan 10, 2025", "January 10 2025".
	monthDayYear = regexp.MustCompile(`^([[:alpha:]]+)\.?[\s\-/.]+(\d{1,2})(?:st|nd|rd|th)?,?[\s\-/.]+(\d{4})$`)
	// "06/01/2025", "6.1.2025": day and month in an order the text cannot tell.
	numbersOnly = regexp.MustCompile(`^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$`)
)

// months maps month names and their usual abbreviations to their numbers.
var months = func() map[string]time.Month {
	m := map[string]time.Month{"sept": time.September}
	for n := time.January; n <= time.December; n++ {
		name := strings.ToLower(n.String())
		m[name] = n
		m[name[:3]] = n
	}
	return m
}()

// DayError says why a typed day could not be read; Readings lists the
// days an ambiguous one could be, as FormatDay writes them.
type DayError struct {
	Input    string
	Readings []string
}

func (e *DayError) Error() string {
	if len(e.Readings) < 2 {
		return "is not a date: write it as 10 Jan 2025 or 2025-01-10"
	}
	return fmt.Sprintf("could be %s or %s: write the month as a word (%s) or write YYYY-MM-DD", e.Readings[0], e.Readings[1], e.Readings[0])
}

// ParseDay reads a day typed in a form and returns it as YYYY-MM-DD; its
// error is a *DayError.
func ParseDay(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	if m := yearFirst.FindStringSubmatch(s); m != nil {
		return dayOf(m[1], m[2], m[3], s)
	}
	if m := dayMonthYear.FindStringSubmatch(s); m != nil {
		if month, ok := months[strings.ToLower(m[2])]; ok {
			return dayOf(m[3], strconv.Itoa(int(month)), m[1], s)
		}
	}
	if m := monthDayYear.FindStringSubmatch(s); m != nil {
		if month, ok := months[strings.ToLower(m[1])]; ok {
			return dayOf(m[3], strconv.Itoa(int(month)), m[2], s)
		}
	}
	if m := numbersOnly.FindStringSubmatch(s); m != nil {
		// Taken when only one order makes a day (13/01/2025, 01/01/2025).
		var days []string
		for _, r := range [][2]string{{m[1], m[2]}, {m[2], m[1]}} {
			if d, err := dayOf(m[3], r[1], r[0], s); err == nil && !contains(days, d) {
				days = append(days, d)
			}
		}
		if len(days) == 1 {
			return days[0], nil
		}
		e := &DayError{Input: s}
		for _, d := range days {
			e.Readings = append(e.Readings, FormatDay(d))
		}
		return "", e
	}
	return "", &DayError{Input: s}
}

// dayOf checks a year, month and day and writes them as YYYY-MM-DD.
func dayOf(year, month, dayOfMonth, input string) (string, error) {
	y, _ := strconv.Atoi(year)
	mo, _ := strconv.Atoi(month)
	d, _ := strconv.Atoi(dayOfMonth)
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if mo < 1 || mo > 12 || t.Day() != d {
		return "", &DayError{Input: input}
	}
	return t.Format(DateLayout), nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
