package billing

import (
	"strconv"
	"strings"
	"tutorbase/internal/lang"
)

// currencyInfo is what formatting needs to know about a currency.
type currencyInfo struct {
	exp    int    // minor-unit exponent: 2 for cents, 0 for yen
	symbol string // printed before the amount
}

// currencies is the embedded ISO 4217 subset a school may choose. It is
// read-only; a currency is added here, never at run time.
var currencies = map[string]currencyInfo{
	"AED": {2, "AED"},
	"AUD": {2, "A$"},
	"BGN": {2, "BGN"},
	"BHD": {3, "BHD"},
	"BRL": {2, "R$"},
	"CAD": {2, "CA$"},
	"CHF": {2, "CHF"},
	"CLP": {0, "CLP"},
	"CNY": {2, "CN¥"},
	"CZK": {2, "CZK"},
	"DKK": {2, "DKK"},
	"EUR": {2, "€"},
	"GBP": {2, "£"},
	"HKD": {2, "HK$"},
	"HUF": {2, "HUF"},
	"ILS": {2, "₪"},
	"INR": {2, "₹"},
	"ISK": {0, "ISK"},
	"JOD": {3, "JOD"},
	"JPY": {0, "¥"},
	"KRW": {0, "₩"},
	"KWD": {3, "KWD"},
	"MXN": {2, "MX$"},
	"NOK": {2, "NOK"},
	"NZD": {2, "NZ$"},
	"OMR": {3, "OMR"},
	"PLN": {2, "PLN"},
	"RON": {2, "RON"},
	"SEK": {2, "SEK"},
	"SGD": {2, "SGD"},
	"TND": {3, "TND"},
	"TRY": {2, "TRY"},
	"UAH": {2, "UAH"},
	"USD": {2, "$"},
	"VND": {0, "₫"},
	"ZAR": {2, "ZAR"},
}

// ValidCurrency reports whether code is one of the ISO 4217 codes the
// package knows, written exactly as ISO does (three upper-case letters).
// Callers validate a school's or tutor's currency with it before storing.
func ValidCurrency(code string) bool {
	_, ok := currencies[code]
	return ok
}

// CurrencyExponent returns the number of minor-unit digits of currency (2
// for EUR, 0 for JPY, 3 for KWD). An unknown currency is treated as 2,
// the common case, so a bad code still prints a readable amount.
func CurrencyExponent(currency string) int {
	if c, ok := currencies[currency]; ok {
		return c.exp
	}
	return 2
}

// Format renders amount (in minor units of currency) for people, e.g.
// 1250 EUR as "€ 12,50" in Italian and "€12.50" in English, with thousands
// grouped ("€ 1.234,50", "€1,234.50") and the sign in front ("-€12.50").
//
// locale is a language tag; only its language matters ("it", "it-IT" and
// "it_IT" are Italian) and anything but Italian is formatted as English.
// A symbol made of letters ("CHF") is always followed by a space. An
// unknown currency prints its code and two decimals.
func Format(amount int64, currency, locale string) string {
	info, ok := currencies[currency]
	if !ok {
		info = currencyInfo{exp: 2, symbol: currency}
	}
	return formatAmount(amount, info.exp, info.symbol, lang.Of(locale) == lang.Italian)
}

// formatAmount is [Format] with the currency and locale already resolved.
func formatAmount(amount int64, exp int, symbol string, italian bool) string {
	group, point := ",", "."
	if italian {
		group, point = ".", ","
	}

	digits := strconv.FormatUint(absU(amount), 10)
	if len(digits) <= exp {
		digits = strings.Repeat("0", exp-len(digits)+1) + digits
	}
	intPart, frac := digits[:len(digits)-exp], digits[len(digits)-exp:]

	var b strings.Builder
	if amount < 0 {
		b.WriteByte('-')
	}
	b.WriteString(symbol)
	if symbol != "" && (italian || symbolIsWord(symbol)) {
		b.WriteByte(' ')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(point)
		b.WriteString(frac)
	}
	return b.String()
}

// symbolIsWord reports whether a currency symbol ends in a letter, so that
// it needs a space before the digits ("CHF 12.50", not "CHF12.50").
func symbolIsWord(symbol string) bool {
	if symbol == "" {
		return false
	}
	c := symbol[len(symbol)-1]
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}
