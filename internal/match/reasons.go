package match

import (
	"strconv"
	"strings"

	"tutorbase/internal/billing"
)

// The reasons are English sentences for people; the web app may translate
// them by Code and show Text as a fallback.

func subjectText(c Candidate) string {
	switch c.Subject {
	case FitExact:
		return "Teaches " + c.WantedSubject
	case FitRelated:
		return "Teaches " + c.SubjectName + ", related to " + c.WantedSubject
	}
	return "Does not list " + c.WantedSubject
}

// availabilityText says how much of the wanted window is free, in hours
// for windows of two hours or more and in minutes below that.
func availabilityText(free, wanted int) string {
	free = max(free, 0)
	unit, div := "minutes", 1.0
	if wanted >= 120 {
		unit, div = "hours", 60
	}
	w := number(float64(wanted) / div)
	switch {
	case free == 0:
		return "No free time in the " + w + " " + unit + " you asked"
	case free >= wanted:
		return "Free for all the " + w + " " + unit + " you asked"
	}
	return "Free for " + number(float64(free)/div) + " of the " + w + " " + unit + " you asked"
}

// number prints v with at most one decimal: 4, 4.5.
func number(v float64) string {
	return strconv.FormatFloat(float64(int64(v*10+0.5))/10, 'f', -1, 64)
}

func ratingText(sum float64, count int) string {
	if count <= 0 {
		return "No reviews yet"
	}
	avg := strconv.FormatFloat(sum/float64(count), 'f', 1, 64)
	if count == 1 {
		return "Rated " + avg + " from 1 review"
	}
	return "Rated " + avg + " from " + strconv.Itoa(count) + " reviews"
}

func priceText(c Candidate) string {
	if c.HourlyRate <= 0 {
		return "Free of charge"
	}
	rate := money(c.HourlyRate, c.Currency) + "/h"
	if c.MaxPrice > 0 {
		return rate + ", within your " + money(c.MaxPrice, c.Currency)
	}
	return rate
}

// money formats minor units in English, without ".00" on whole amounts.
func money(amount int64, currency string) string {
	s := billing.Format(amount, currency, "en")
	if exp := billing.CurrencyExponent(currency); exp > 0 {
		s = strings.TrimSuffix(s, "."+strings.Repeat("0", exp))
	}
	return s
}

func languageText(speaks bool, code string) string {
	if speaks {
		return "Teaches in " + LanguageName(code)
	}
	return "Does not list " + LanguageName(code)
}

// LanguageName returns the English name of an ISO 639-1 code Tutorbase
// knows, or the code itself.
func LanguageName(code string) string {
	if n, ok := languageNames[code]; ok {
		return n
	}
	return code
}

var languageNames = map[string]string{
	"it": "Italian", "en": "English", "es": "Spanish", "fr": "French", "de": "German", "pt": "Portuguese",
	"nl": "Dutch", "pl": "Polish", "ro": "Romanian", "el": "Greek", "sv": "Swedish", "da": "Danish",
	"fi": "Finnish", "no": "Norwegian", "cs": "Czech", "hu": "Hungarian", "uk": "Ukrainian", "ru": "Russian",
	"tr": "Turkish", "ar": "Arabic", "he": "Hebrew", "hi": "Hindi", "bn": "Bengali", "ur": "Urdu",
	"fa": "Persian", "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "vi": "Vietnamese", "th": "Thai",
	"id": "Indonesian", "ms": "Malay", "sw": "Swahili",
}

func levelText(students int, level string) string {
	switch {
	case students <= 0:
		return "No students at your level (" + level + ") yet"
	case students == 1:
		return "Taught 1 student at your level (" + level + ")"
	}
	return "Taught " + strconv.Itoa(students) + " students at your level (" + level + ")"
}

func goalsText(matched []string) string {
	if len(matched) == 0 {
		return "Profile mentions none of your goals"
	}
	return "Profile mentions " + strings.Join(matched, ", ")
}
