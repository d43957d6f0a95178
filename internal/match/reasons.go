package match

import (
	"strconv"
	"strings"

	"tutorbase/internal/billing"
)

// The reasons are sentences for the person who asked, in their language
// (Candidate.Lang: Italian, else English); a client may also translate
// them by Code and keep Text as a fallback.

// italian reports whether lang is Italian ("it", "it-IT").
func italian(lang string) bool { return lang == "it" || strings.HasPrefix(lang, "it-") }

func subjectText(c Candidate) string {
	it := italian(c.Lang)
	switch {
	case c.Subject == FitExact && it:
		return "Insegna " + c.WantedSubject
	case c.Subject == FitExact:
		return "Teaches " + c.WantedSubject
	case c.Subject == FitRelated && it:
		return "Insegna " + c.SubjectName + ", affine a " + c.WantedSubject
	case c.Subject == FitRelated:
		return "Teaches " + c.SubjectName + ", related to " + c.WantedSubject
	case it:
		return "Non indica " + c.WantedSubject
	}
	return "Does not list " + c.WantedSubject
}

// availabilityText says how much of the wanted window is free, in hours
// for windows of two hours or more and in minutes below that.
func availabilityText(lang string, free, wanted int) string {
	free = max(free, 0)
	hours, div := wanted >= 120, 1.0
	if hours {
		div = 60
	}
	w, f := number(lang, float64(wanted)/div), number(lang, float64(free)/div)
	if italian(lang) {
		// ore is feminine, minuti masculine: the articles follow
		unit, in, all, of := "minuti", "nei", "tutti i", "dei"
		if hours {
			unit, in, all, of = "ore", "nelle", "tutte le", "delle"
		}
		asked := "richiest" + suffix(hours)
		switch {
		case free == 0:
			return "Nessun momento libero " + in + " " + w + " " + unit + " " + asked
		case free >= wanted:
			return "Libero per " + all + " " + w + " " + unit + " " + asked
		}
		return "Libero per " + f + " " + of + " " + w + " " + unit + " " + asked
	}
	unit := "minutes"
	if hours {
		unit = "hours"
	}
	switch {
	case free == 0:
		return "No free time in the " + w + " " + unit + " you asked"
	case free >= wanted:
		return "Free for all the " + w + " " + unit + " you asked"
	}
	return "Free for " + f + " of the " + w + " " + unit + " you asked"
}

// suffix ends "richiest-": "e" for ore, "i" for minuti.
func suffix(hours bool) string {
	if hours {
		return "e"
	}
	return "i"
}

// number prints v with at most one decimal: 4, 4.5 (4,5 in Italian).
func number(lang string, v float64) string {
	s := strconv.FormatFloat(float64(int64(v*10+0.5))/10, 'f', -1, 64)
	if italian(lang) {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

func ratingText(lang string, sum float64, count int) string {
	it := italian(lang)
	if count <= 0 {
		if it {
			return "Ancora nessuna recensione"
		}
		return "No reviews yet"
	}
	avg := strconv.FormatFloat(sum/float64(count), 'f', 1, 64)
	switch {
	case it && count == 1:
		return "Valutazione " + strings.Replace(avg, ".", ",", 1) + " da 1 recensione"
	case it:
		return "Valutazione " + strings.Replace(avg, ".", ",", 1) + " da " + strconv.Itoa(count) + " recensioni"
	case count == 1:
		return "Rated " + avg + " from 1 review"
	}
	return "Rated " + avg + " from " + strconv.Itoa(count) + " reviews"
}

func priceText(c Candidate) string {
	it := italian(c.Lang)
	if c.HourlyRate <= 0 {
		if it {
			return "Gratuito"
		}
		return "Free of charge"
	}
	rate := money(c.HourlyRate, c.Currency, c.Lang) + "/h"
	switch {
	case c.MaxPrice > 0 && it:
		return rate + ", entro i tuoi " + money(c.MaxPrice, c.Currency, c.Lang)
	case c.MaxPrice > 0:
		return rate + ", within your " + money(c.MaxPrice, c.Currency, c.Lang)
	}
	return rate
}

// money formats minor units in lang, without ".00" (",00") on whole
// amounts.
func money(amount int64, currency, lang string) string {
	loc, point := "en", "."
	if italian(lang) {
		loc, point = "it", ","
	}
	s := billing.Format(amount, currency, loc)
	if exp := billing.CurrencyExponent(currency); exp > 0 {
		s = strings.TrimSuffix(s, point+strings.Repeat("0", exp))
	}
	return s
}

func languageText(lang string, speaks bool, code string) string {
	name := LanguageNameIn(lang, code)
	switch {
	case italian(lang) && speaks:
		return "Insegna in " + name
	case italian(lang):
		return "Non indica di insegnare in " + name
	case speaks:
		return "Teaches in " + name
	}
	return "Does not list " + name
}

// LanguageName returns the English name of an ISO 639-1 code Tutorbase
// knows, or the code itself.
func LanguageName(code string) string { return LanguageNameIn("en", code) }

// LanguageNameIn returns the name of an ISO 639-1 code in lang (Italian
// names in Italian, else English), or the code itself.
func LanguageNameIn(lang, code string) string {
	names := languageNames
	if italian(lang) {
		names = languageNamesIt
	}
	if n, ok := names[code]; ok {
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

var languageNamesIt = map[string]string{
	"it": "italiano", "en": "inglese", "es": "spagnolo", "fr": "francese", "de": "tedesco", "pt": "portoghese",
	"nl": "olandese", "pl": "polacco", "ro": "rumeno", "el": "greco", "sv": "svedese", "da": "danese",
	"fi": "finlandese", "no": "norvegese", "cs": "ceco", "hu": "ungherese", "uk": "ucraino", "ru": "russo",
	"tr": "turco", "ar": "arabo", "he": "ebraico", "hi": "hindi", "bn": "bengalese", "ur": "urdu",
	"fa": "persiano", "zh": "cinese", "ja": "giapponese", "ko": "coreano", "vi": "vietnamita", "th": "thailandese",
	"id": "indonesiano", "ms": "malese", "sw": "swahili",
}

func levelText(lang string, students int, level string) string {
	if italian(lang) {
		switch {
		case students <= 0:
			return "Ancora nessuno studente del tuo livello (" + level + ")"
		case students == 1:
			return "Ha seguito 1 studente del tuo livello (" + level + ")"
		}
		return "Ha seguito " + strconv.Itoa(students) + " studenti del tuo livello (" + level + ")"
	}
	switch {
	case students <= 0:
		return "No students at your level (" + level + ") yet"
	case students == 1:
		return "Taught 1 student at your level (" + level + ")"
	}
	return "Taught " + strconv.Itoa(students) + " students at your level (" + level + ")"
}

func goalsText(lang string, matched []string) string {
	switch {
	case len(matched) == 0 && italian(lang):
		return "Il profilo non cita nessuno dei tuoi obiettivi"
	case len(matched) == 0:
		return "Profile mentions none of your goals"
	case italian(lang):
		return "Il profilo cita " + strings.Join(matched, ", ")
	}
	return "Profile mentions " + strings.Join(matched, ", ")
}
