package domain

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// How a defined term's value is stored, by type, so that every view and
// report reads it back exactly:
//   - number and percent: a JSON number (45 for 45 %);
//   - money: {"amount": "1200000", "currency": "USD"}, the amount a decimal
//     string with no exponent, no separators and no trailing zeros, so that
//     no amount drifts through floating point;
//   - boolean: true or false;
//   - choice: the choice's key;
//   - date: "YYYY-MM-DD";
//   - text: a string.
//
// ParseTermValue reads analyst input into that form and accepts the
// stored form itself, so that normalising twice changes nothing.

// MaxTermNumber bounds numbers and percents to what a float64 holds to
// the unit.
const MaxTermNumber = 1e15

// maxMoneyDigits bounds a money amount's whole digits; maxMoneyDecimals
// its decimals (three covers every ISO 4217 minor unit).
const (
	maxMoneyDigits   = 18
	maxMoneyDecimals = 3
)

// Money is a stored money value.
type Money struct {
	Amount   string // canonical decimal
	Currency string // ISO 4217
}

// currencySymbols maps the symbols analysts type to ISO codes. Symbols
// that several currencies share (¥, kr) are left out: a code says which.
var currencySymbols = map[string]string{"US$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "₽": "RUB", "₴": "UAH", "₺": "TRY", "₪": "ILS", "₹": "INR"}

// symbolOf is the symbol money of a currency prints with; "" for one
// printed by its code.
var symbolOf = map[string]string{"USD": "$", "EUR": "€", "GBP": "£"}

// moneyScales are the scale words an amount may carry, as powers of ten.
var moneyScales = map[string]int{
	"k": 3, "thousand": 3, "m": 6, "mn": 6, "mio": 6, "million": 6, "millions": 6,
	"b": 9, "bn": 9, "billion": 9, "billions": 9, "tn": 12, "trillion": 12, "trillions": 12,
}

var (
	// decimalPattern is a number as analysts write it: digits grouped in
	// threes by commas or spaces (one kind per number), or not grouped,
	// with an optional decimal part.
	decimalPattern = regexp.MustCompile(`^([+-]?)(\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+)(?:\.(\d+))?$`)
	moneyPattern   = regexp.MustCompile(`^(.*?\d)\s*([A-Za-z]+)?$`)
	codePrefix     = regexp.MustCompile(`^([A-Za-z]{3})\s*(\d.*)$`)
	codeSuffix     = regexp.MustCompile(`^(.*\d(?:\s*[A-Za-z]+)?)\s+([A-Z]{3})$`)
)

// termInput writes an input value for an error message.
func termInput(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(truncateRunes(x, 40))
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	}
	return FormatTerm(v)
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// Expected says what a term of this definition accepts, for forms and
// error messages.
func (d TermDefinition) Expected() string {
	switch d.Type {
	case TermTypeNumber:
		if d.Unit != "" {
			return "a number of " + d.Unit + ", e.g. 1500 or \"1,500\""
		}
		return "a number, e.g. 1500 or \"1,500\""
	case TermTypeMoney:
		if d.Currency != "" {
			return "an amount, e.g. 1200000, \"1.2m\" or \"1,200,000 " + d.Currency + "\""
		}
		return "an amount with its currency, e.g. \"$1.2m\", \"€300 million\" or \"1,200,000 USD\""
	case TermTypePercent:
		return "a percentage, e.g. 45 or \"45%\""
	case TermTypeBoolean:
		return "yes or no (true or false)"
	case TermTypeChoice:
		labels := make([]string, len(d.Choices))
		for i, c := range d.Choices {
			labels[i] = strconv.Quote(c.Label)
		}
		return "one of " + strings.Join(labels, ", ")
	case TermTypeDate:
		return "a date as YYYY-MM-DD"
	}
	return fmt.Sprintf("text of at most %d characters", MaxTermText)
}

// ParseTermValue reads one value of a defined term into its stored form;
// the error says what was expected and what was given.
func ParseTermValue(d TermDefinition, v any) (any, error) {
	out, ok := parseTermValue(d, v)
	if !ok {
		return nil, fmt.Errorf("expected %s; got %s", d.Expected(), termInput(v))
	}
	return out, nil
}

func parseTermValue(d TermDefinition, v any) (any, bool) {
	switch d.Type {
	case TermTypeNumber:
		return parseNumberTerm(v, false)
	case TermTypePercent:
		return parseNumberTerm(v, true)
	case TermTypeMoney:
		m, ok := parseMoneyTerm(v, d.Currency)
		if !ok {
			return nil, false
		}
		return map[string]any{"amount": m.Amount, "currency": m.Currency}, true
	case TermTypeBoolean:
		return parseBooleanTerm(v)
	case TermTypeChoice:
		return parseChoiceTerm(d, v)
	case TermTypeDate:
		s, ok := v.(string)
		if !ok {
			return nil, false
		}
		s = strings.TrimSpace(s)
		if _, err := time.Parse(DateLayout, s); err != nil {
			return nil, false
		}
		return s, true
	case TermTypeText:
		return parseTextTerm(v)
	}
	return nil, false
}

// numberOf reads a JSON number or a Go integer.
func numberOf(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	}
	return 0, false
}

func parseNumberTerm(v any, percent bool) (any, bool) {
	f, ok := numberOf(v)
	if !ok {
		s, isText := v.(string)
		if !isText {
			return nil, false
		}
		s = strings.TrimSpace(s)
		if percent {
			if cut, had := strings.CutSuffix(s, "%"); had {
				s = strings.TrimSpace(cut)
			}
		}
		dec, ok := parseDecimal(s)
		if !ok {
			return nil, false
		}
		if f, ok = decimalFloat(dec); !ok {
			return nil, false
		}
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > MaxTermNumber {
		return nil, false
	}
	return f + 0, true // + 0 turns −0 into 0
}

// parseDecimal reads a number as analysts write it ("1,500", "1 500",
// "-2.5") into a canonical decimal string ("1500", "-2.5").
func parseDecimal(s string) (string, bool) {
	s = strings.NewReplacer("\u00a0", " ", "\u202f", " ", "\u2009", " ", "−", "-").Replace(s)
	m := decimalPattern.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	whole := strings.TrimLeft(strings.NewReplacer(",", "", " ", "").Replace(m[2]), "0")
	frac := strings.TrimRight(m[3], "0")
	if whole == "" {
		whole = "0"
	}
	out := whole
	if frac != "" {
		out += "." + frac
	}
	if m[1] == "-" && out != "0" {
		out = "-" + out
	}
	return out, true
}

func decimalFloat(dec string) (float64, bool) {
	f, err := strconv.ParseFloat(dec, 64)
	return f, err == nil
}

// shiftDecimal multiplies a canonical non-negative decimal by 10^n.
func shiftDecimal(dec string, n int) string {
	whole, frac, _ := strings.Cut(dec, ".")
	for n > 0 && frac != "" {
		whole, frac, n = whole+frac[:1], frac[1:], n-1
	}
	whole += strings.Repeat("0", n)
	whole = strings.TrimLeft(whole, "0")
	if whole == "" {
		whole = "0"
	}
	if frac = strings.TrimRight(frac, "0"); frac != "" {
		return whole + "." + frac
	}
	return whole
}

func parseMoneyTerm(v any, currency string) (Money, bool) {
	switch x := v.(type) {
	case map[string]any:
		return parseStoredMoney(x)
	case string:
		return parseMoneyText(x, currency)
	}
	f, ok := numberOf(v)
	if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
		return Money{}, false
	}
	return parseMoneyText(strconv.FormatFloat(f, 'f', -1, 64), currency)
}

// parseStoredMoney reads money in its stored form, an object of amount
// and currency; the amount may be a JSON number.
func parseStoredMoney(m map[string]any) (Money, bool) {
	if len(m) != 2 {
		return Money{}, false
	}
	code, ok := m["currency"].(string)
	if !ok || !currencyPattern.MatchString(code) {
		return Money{}, false
	}
	switch a := m["amount"].(type) {
	case string:
		return moneyOf(a, 0, code)
	default:
		f, ok := numberOf(a)
		if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
			return Money{}, false
		}
		return moneyOf(strconv.FormatFloat(f, 'f', -1, 64), 0, code)
	}
}

// parseMoneyText reads "$1.2m", "€300 million", "1,200,000 USD",
// "USD 1.2bn" or a bare amount in the default currency.
func parseMoneyText(s, currency string) (Money, bool) {
	s = strings.TrimSpace(s)
	code := ""
	for _, sym := range []string{"US$", "$", "€", "£", "₽", "₴", "₺", "₪", "₹"} {
		if rest, ok := strings.CutPrefix(s, sym); ok {
			code, s = currencySymbols[sym], strings.TrimSpace(rest)
			break
		}
	}
	if code == "" {
		if m := codePrefix.FindStringSubmatch(s); len(m) == 3 && currencyPattern.MatchString(strings.ToUpper(m[1])) && moneyScales[strings.ToLower(m[1])] == 0 {
			code, s = strings.ToUpper(m[1]), m[2]
		}
	}
	if m := codeSuffix.FindStringSubmatch(s); m != nil {
		if code != "" && code != m[2] {
			return Money{}, false
		}
		code, s = m[2], m[1]
	}
	if code == "" {
		code = currency
	}
	if code == "" {
		return Money{}, false
	}
	m := moneyPattern.FindStringSubmatch(s)
	if m == nil {
		return Money{}, false
	}
	scale := 0
	if m[2] != "" {
		n, ok := moneyScales[strings.ToLower(m[2])]
		if !ok {
			return Money{}, false
		}
		scale = n
	}
	return moneyOf(strings.TrimSpace(m[1]), scale, code)
}

// moneyOf makes money of an amount as written, times 10^scale, refusing
// negative amounts and amounts finer or larger than a currency holds.
func moneyOf(amount string, scale int, code string) (Money, bool) {
	dec, ok := parseDecimal(amount)
	if !ok || strings.HasPrefix(dec, "-") {
		return Money{}, false
	}
	dec = shiftDecimal(dec, scale)
	whole, frac, _ := strings.Cut(dec, ".")
	if len(whole) > maxMoneyDigits || len(frac) > maxMoneyDecimals {
		return Money{}, false
	}
	return Money{Amount: dec, Currency: code}, true
}

func parseBooleanTerm(v any) (any, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "yes", "true":
			return true, true
		case "no", "false":
			return false, true
		}
	}
	return nil, false
}

func parseChoiceTerm(d TermDefinition, v any) (any, bool) {
	s, ok := v.(string)
	if !ok {
		return nil, false
	}
	s = strings.TrimSpace(s)
	for _, c := range d.Choices {
		if s == c.Key {
			return c.Key, true
		}
	}
	for _, c := range d.Choices {
		if strings.EqualFold(s, c.Key) || strings.EqualFold(s, c.Label) {
			return c.Key, true
		}
	}
	return nil, false
}

func parseTextTerm(v any) (any, bool) {
	var s string
	switch x := v.(type) {
	case string:
		s = strings.TrimSpace(x)
	case bool, float64, int, int64, int32, json.Number:
		s = FormatTerm(x)
	default:
		return nil, false
	}
	if s == "" || utf8.RuneCountInString(s) > MaxTermText || !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
		return nil, false
	}
	return s, true
}

// errNotStored is the answer of reading a value that is not in its
// definition's stored form.
var errNotStored = errors.New("not a stored value of this term")

// FormatTermValue writes a defined term's value as an analyst writes it:
// "1,904", "30 days", "45 %", "$1.2 bn", "yes", a choice's label. A value
// that does not fit the definition (one stored before the term was
// defined, seen as of then) is written as a free term.
func FormatTermValue(d TermDefinition, v any) string {
	stored, ok := parseTermValue(d, v)
	if !ok {
		return FormatTerm(v)
	}
	switch d.Type {
	case TermTypeNumber:
		s := FormatNumber(stored.(float64))
		if d.Unit != "" {
			s += " " + d.Unit
		}
		return s
	case TermTypePercent:
		return FormatNumber(stored.(float64)) + " %"
	case TermTypeMoney:
		m := stored.(map[string]any)
		return FormatMoney(Money{Amount: m["amount"].(string), Currency: m["currency"].(string)})
	case TermTypeBoolean:
		return FormatTerm(stored)
	case TermTypeChoice:
		return d.ChoiceLabel(stored.(string))
	}
	return stored.(string)
}

// MoneyValue reads a stored (or parseable) money value.
func MoneyValue(d TermDefinition, v any) (Money, error) {
	m, ok := parseMoneyTerm(v, d.Currency)
	if !ok {
		return Money{}, errNotStored
	}
	return m, nil
}

// FormatMoney writes money as analysts write it: "$1.2 bn", "€300 m",
// "$1,250,000.5", "RUB 40 m". Large amounts take the largest scale that
// writes them exactly with at most three decimals; nothing is rounded.
func FormatMoney(m Money) string {
	amount := groupedDecimal(m.Amount)
	whole, _, _ := strings.Cut(m.Amount, ".")
	for _, sc := range []struct {
		n    int
		word string
	}{{12, "tn"}, {9, "bn"}, {6, "m"}} {
		if len(whole) <= sc.n {
			continue
		}
		scaled := unshiftDecimal(m.Amount, sc.n)
		if _, frac, _ := strings.Cut(scaled, "."); len(frac) <= 3 {
			amount = groupedDecimal(scaled) + " " + sc.word
			break
		}
	}
	if sym := symbolOf[m.Currency]; sym != "" {
		return sym + amount
	}
	return m.Currency + " " + amount
}

// unshiftDecimal divides a canonical non-negative decimal by 10^n.
func unshiftDecimal(dec string, n int) string {
	whole, frac, _ := strings.Cut(dec, ".")
	if len(whole) <= n {
		whole = strings.Repeat("0", n-len(whole)+1) + whole
	}
	cut := len(whole) - n
	whole, frac = whole[:cut], whole[cut:]+frac
	if frac = strings.TrimRight(frac, "0"); frac != "" {
		return whole + "." + frac
	}
	return whole
}

// groupedDecimal puts thousands separators into a canonical decimal.
func groupedDecimal(dec string) string {
	whole, frac, hasFrac := strings.Cut(dec, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	return b.String()
}

// moneyRat is a money amount as an exact rational, for comparing.
func moneyRat(m Money) *big.Rat {
	r, ok := new(big.Rat).SetString(m.Amount)
	if !ok {
		return new(big.Rat)
	}
	return r
}

// ratDecimal writes an exact rational with a finite decimal expansion
// (a difference of two amounts) as a canonical decimal.
func ratDecimal(r *big.Rat) string {
	s := r.FloatString(maxMoneyDecimals)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}
