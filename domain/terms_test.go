package domain

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

var (
	defNumber  = TermDefinition{Key: "total_phase1", Label: "Hostages released in phase 1", Type: TermTypeNumber}
	defDays    = TermDefinition{Key: "duration_days", Type: TermTypeNumber, Unit: "days"}
	defPercent = TermDefinition{Key: "share", Type: TermTypePercent}
	defMoney   = TermDefinition{Key: "fund", Type: TermTypeMoney}
	defMoneyUS = TermDefinition{Key: "fund", Type: TermTypeMoney, Currency: "USD"}
	defBool    = TermDefinition{Key: "permanent", Type: TermTypeBoolean}
	defChoice  = TermDefinition{Key: "exchange", Type: TermTypeChoice, Choices: []Choice{{"all_for_all", "All for all"}, {"phased", "Phased"}}}
	defDate    = TermDefinition{Key: "starts_on", Type: TermTypeDate}
	defText    = TermDefinition{Key: "guarantor", Type: TermTypeText}
)

func money(amount, currency string) map[string]any {
	return map[string]any{"amount": amount, "currency": currency}
}

func TestParseTermValue(t *testing.T) {
	tests := []struct {
		def  TermDefinition
		in   any
		want any
	}{
		{defNumber, 1500.0, 1500.0},
		{defNumber, "1500", 1500.0},
		{defNumber, "1,500", 1500.0},
		{defNumber, "1 500", 1500.0},
		{defNumber, "1\u00a0500", 1500.0},
		{defNumber, "1,904", 1904.0},
		{defNumber, " 2.50 ", 2.5},
		{defNumber, "-3", -3.0},
		{defNumber, "−3", -3.0},
		{defNumber, 7, 7.0},
		{defNumber, json.Number("12"), 12.0},
		{defPercent, 45.0, 45.0},
		{defPercent, "45%", 45.0},
		{defPercent, "45 %", 45.0},
		{defPercent, "12.5%", 12.5},
		{defMoney, "$1.2m", money("1200000", "USD")},
		{defMoney, "$1.2bn", money("1200000000", "USD")},
		{defMoney, "€300 million", money("300000000", "EUR")},
		{defMoney, "1,200,000 USD", money("1200000", "USD")},
		{defMoney, "USD 1.2 bn", money("1200000000", "USD")},
		{defMoney, "£0.5k", money("500", "GBP")},
		{defMoney, "$19.99", money("19.99", "USD")},
		{defMoney, money("1200000", "USD"), money("1200000", "USD")},
		{defMoney, map[string]any{"amount": 1200000.0, "currency": "EUR"}, money("1200000", "EUR")},
		{defMoneyUS, 1200000.0, money("1200000", "USD")},
		{defMoneyUS, "1.2m", money("1200000", "USD")},
		{defMoneyUS, "€5m", money("5000000", "EUR")},
		{defMoney, "$0.1bn", money("100000000", "USD")},
		{defBool, true, true},
		{defBool, "yes", true},
		{defBool, "No", false},
		{defBool, "false", false},
		{defChoice, "all_for_all", "all_for_all"},
		{defChoice, "All for all", "all_for_all"},
		{defChoice, "phased", "phased"},
		{defDate, "2025-01-19", "2025-01-19"},
		{defText, " Qatar ", "Qatar"},
	}
	for _, tt := range tests {
		got, err := ParseTermValue(tt.def, tt.in)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s %#v = %#v, %v; want %#v", tt.def.Type, tt.in, got, err, tt.want)
			continue
		}
		// The stored form reads back as itself.
		again, err := ParseTermValue(tt.def, got)
		if err != nil || !reflect.DeepEqual(again, got) {
			t.Errorf("%s: stored %#v reads back as %#v, %v", tt.def.Type, got, again, err)
		}
	}
}

func TestParseTermValueRefusesNearMisses(t *testing.T) {
	tests := []struct {
		def  TermDefinition
		in   any
		want string
	}{
		{defNumber, "1.2.3", `expected a number, e.g. 1500 or "1,500"; got "1.2.3"`},
		{defNumber, "1,50", "expected a number"},
		{defNumber, "1,500 000", "expected a number"},
		{defNumber, "", "expected a number"},
		{defNumber, "twelve", "expected a number"},
		{defNumber, true, "got yes"},
		{defNumber, 2e15, "expected a number"},
		{defDays, "30 weeks", "a number of days"},
		{defPercent, "45%%", `got "45%%"`},
		{defPercent, "%", "expected a percentage"},
		{defMoney, "$", `got "$"`},
		{defMoney, "1200000", "an amount with its currency"},
		{defMoney, "$1.2 zillion", "expected an amount"},
		{defMoney, "$-5", "expected an amount"},
		{defMoney, "$1.2m EUR", "expected an amount"},
		{defMoney, "$0.0001", "expected an amount"},
		{defMoney, map[string]any{"amount": "1", "currency": "usd"}, "got an object"},
		{defMoney, map[string]any{"amount": "1", "currency": "USD", "x": 1}, "got an object"},
		{defBool, "maybe", "expected yes or no"},
		{defBool, 1.0, "expected yes or no"},
		{defChoice, "some", `one of "All for all", "Phased"`},
		{defDate, "2025-02-30", "a date as YYYY-MM-DD"},
		{defDate, "19 January 2025", "a date as YYYY-MM-DD"},
		{defText, strings.Repeat("x", MaxTermText+1), "text of at most"},
		{defText, nil, "got null"},
	}
	for _, tt := range tests {
		got, err := ParseTermValue(tt.def, tt.in)
		if err == nil {
			t.Errorf("%s %#v = %#v, want refused", tt.def.Type, tt.in, got)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %#v: %q, want it to say %q", tt.def.Type, tt.in, err, tt.want)
		}
	}
}

func TestFormatTermValue(t *testing.T) {
	tests := []struct {
		def  TermDefinition
		in   any
		want string
	}{
		{defNumber, 1904.0, "1,904"},
		{defDays, 30.0, "30 days"},
		{defPercent, 45.0, "45 %"},
		{defMoney, money("1200000000", "USD"), "$1.2 bn"},
		{defMoney, money("1200000", "USD"), "$1.2 m"},
		{defMoney, money("300000000", "EUR"), "€300 m"},
		{defMoney, money("1234567", "USD"), "$1,234,567"},
		{defMoney, money("950000", "USD"), "$950,000"},
		{defMoney, money("40000000", "RUB"), "RUB 40 m"},
		{defBool, true, "yes"},
		{defBool, false, "no"},
		{defChoice, "all_for_all", "All for all"},
		{defDate, "2025-01-19", "2025-01-19"},
		// A value stored before the term was defined is written as given.
		{defNumber, "about 2000", "about 2000"},
	}
	for _, tt := range tests {
		if got := FormatTermValue(tt.def, tt.in); got != tt.want {
			t.Errorf("%s %#v = %q, want %q", tt.def.Type, tt.in, got, tt.want)
		}
	}
}

func TestNormalizeTerms(t *testing.T) {
	defs := []TermDefinition{defNumber, defBool, defPercent}
	got, errs := NormalizeTerms(defs, map[string]any{"total_phase1": "1,904", "permanent": "no", "free_note": "as given", "share": "45%%"})
	if want := (FieldErrors{{"terms.share", `expected a percentage, e.g. 45 or "45%"; got "45%%"`}}); !reflect.DeepEqual(errs, want) {
		t.Errorf("errors = %v, want %v", errs, want)
	}
	if got["total_phase1"] != 1904.0 || got["permanent"] != false || got["free_note"] != "as given" {
		t.Errorf("terms = %v", got)
	}
}

func TestTopicValidatesTermDefinitions(t *testing.T) {
	topic := &Topic{NegotiationID: fxNeg, Title: "t", TermDefinitions: []TermDefinition{
		{Key: "Days", Type: "number"},
		{Key: "ok", Type: "weight"},
		{Key: "ok", Type: "boolean", Currency: "USD", Unit: "kg"},
		{Key: "pick", Type: "choice", Choices: []Choice{{"a", "A"}}},
		{Key: "cash", Type: "money", Currency: "dollars"},
		{Key: "when", Type: "date", Choices: []Choice{{"x", "X"}, {"y", "Y"}}},
		{Key: "", Type: ""},
		{Key: "two", Type: "choice", Choices: []Choice{{"a", "Same"}, {"a", "same"}}},
	}}
	topic.Normalize()
	errs := topic.Validate()
	want := map[string]bool{
		"term_definitions[0].key": true, "term_definitions[1].type": true, "term_definitions[2].key": true,
		"term_definitions[2].currency": true, "term_definitions[2].unit": true, "term_definitions[3].choices": true,
		"term_definitions[4].currency": true, "term_definitions[5].choices": true, "term_definitions[6].key": true,
		"term_definitions[6].type": true, "term_definitions[7].choices[1].key": true, "term_definitions[7].choices[1].label": true,
	}
	got := map[string]bool{}
	for _, e := range errs {
		got[e.Field] = true
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("fields = %v\nwant %v\n(%v)", got, want, errs)
	}
	if topic.TermDefinitions[4].Currency != "DOLLARS" {
		t.Errorf("currency not upper-cased: %q", topic.TermDefinitions[4].Currency)
	}
}

func FuzzParseTermValue(f *testing.F) {
	for _, s := range []string{"1,500", "1 500", "45%", "45%%", "$1.2m", "€300 million", "1,200,000 USD", "$", "1.2.3", "yes", "2025-01-19", "USD 1.2 bn", "0.0001"} {
		f.Add(s)
	}
	defs := []TermDefinition{defNumber, defPercent, defMoney, defMoneyUS, defBool, defChoice, defDate, defText}
	f.Fuzz(func(t *testing.T, in string) {
		for _, d := range defs {
			v, err := ParseTermValue(d, in)
			if err != nil {
				if !strings.HasPrefix(err.Error(), "expected ") {
					t.Fatalf("%s %q: error %q does not say what was expected", d.Type, in, err)
				}
				continue
			}
			again, err := ParseTermValue(d, v)
			if err != nil || !reflect.DeepEqual(again, v) {
				t.Fatalf("%s %q: stored %#v reads back as %#v, %v", d.Type, in, v, again, err)
			}
			if _, err := json.Marshal(v); err != nil {
				t.Fatalf("%s %q: stored %#v is not JSON: %v", d.Type, in, v, err)
			}
			_ = FormatTermValue(d, v)
		}
	})
}
