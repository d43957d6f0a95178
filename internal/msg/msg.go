// Package msg is the one catalogue of the messages the server sends
// people, in every language of internal/lang: each error code's messages
// (and the few top-level messages that have no code), the reasons a lesson
// was cancelled, the words a message names. English is the reference: the
// server's code writes English, and Translate finds the entry whose English
// template matches and renders it in the person's language. A template's
// {name} is a part computed at run time; {name:kind} is one of a known set
// of words (a status, a weekday), itself translated.
//
// The package has no PocketBase import: platform's middleware applies it to
// every error answer, and the notification templates use its reasons.
package msg

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Entry is one message: the code it is sent with ("" for a top-level
// message) and its template in each language.
type Entry struct {
	Code string
	Text map[string]string
}

// e is an entry in English and Italian.
func e(code, en, it string) Entry {
	return Entry{Code: code, Text: map[string]string{"en": en, "it": it}}
}

// compiled is an entry's English template as a pattern that matches the
// messages it describes and captures their computed parts.
type compiled struct {
	entry  Entry
	re     *regexp.Regexp
	fields []field
}

type field struct{ name, kind string }

var placeholder = regexp.MustCompile(`\{([a-z_]+)(?::([a-z_]+))?\}`)

var (
	once   sync.Once
	byCode map[string][]compiled
)

func index() map[string][]compiled {
	once.Do(func() {
		byCode = map[string][]compiled{}
		for _, en := range All() {
			c := compile(en)
			byCode[en.Code] = append(byCode[en.Code], c)
		}
	})
	return byCode
}

func compile(en Entry) compiled {
	tmpl := normalize(en.Text["en"])
	var b strings.Builder
	b.WriteString("(?i)^")
	var fields []field
	last := 0
	for _, m := range placeholder.FindAllStringSubmatchIndex(tmpl, -1) {
		b.WriteString(regexp.QuoteMeta(tmpl[last:m[0]]))
		b.WriteString("(.+?)")
		f := field{name: tmpl[m[2]:m[3]]}
		if m[4] >= 0 {
			f.kind = tmpl[m[4]:m[5]]
		}
		fields = append(fields, f)
		last = m[1]
	}
	b.WriteString(regexp.QuoteMeta(tmpl[last:]))
	b.WriteString("$")
	return compiled{entry: en, re: regexp.MustCompile(b.String()), fields: fields}
}

// normalize makes a message comparable with a template: PocketBase
// capitalises a message and ends it with a full stop (inflector.Sentenize),
// a code's own text may not.
func normalize(s string) string {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// Translate returns message, the English text the server wrote with code
// ("" for a top-level message), in language, and whether the catalogue
// knows it. An unknown message is returned as it is.
func Translate(language, code, message string) (string, bool) {
	norm := normalize(message)
	for _, c := range index()[code] {
		m := c.re.FindStringSubmatch(norm)
		if m == nil {
			continue
		}
		values := map[string]string{}
		for i, f := range c.fields {
			values[f.name] = m[i+1]
		}
		return render(c.entry, language, values), true
	}
	return message, false
}

// render fills an entry's template in language with values (English
// words of a kind are translated).
func render(en Entry, language string, values map[string]string) string {
	tmpl, ok := en.Text[language]
	if !ok {
		tmpl = en.Text["en"]
	}
	return placeholder.ReplaceAllStringFunc(tmpl, func(p string) string {
		m := placeholder.FindStringSubmatch(p)
		v, ok := values[m[1]]
		if !ok {
			return p
		}
		if m[2] != "" {
			return Word(language, m[2], v)
		}
		return v
	})
}

// Text is the first message of code in language, its placeholders filled
// from values ("" when the catalogue has no such code).
func Text(language, code string, values map[string]string) string {
	cs := index()[code]
	if len(cs) == 0 {
		return ""
	}
	return render(cs[0].entry, language, values)
}

// Known reports whether code has an entry.
func Known(code string) bool { return len(index()[code]) > 0 }

// Word is an English word of a kind (a status, a weekday, ...) in
// language, itself when the catalogue has no translation.
func Word(language, kind, english string) string {
	if kind == "duration" { // "24 hours": the number stays, the unit is a word
		if n, unit, ok := strings.Cut(english, " "); ok {
			return n + " " + Word(language, kind, unit)
		}
	}
	if w, ok := words[kind][english][language]; ok {
		return w
	}
	return english
}

// Generic reports whether a top-level message says nothing its field
// errors do not ("Failed to create record."): a person is better told
// the fields' own words.
func Generic(message string) bool {
	n := normalize(message)
	return slices.ContainsFunc(generic, func(g string) bool { return strings.EqualFold(normalize(g), n) })
}

// Reason is why a lesson was cancelled, in language: the server's own
// reasons (rescheduled, unpaid, time off) translated, a person's words as
// they wrote them.
func Reason(language, reason string) string {
	if t := Text(language, "reason."+reason, nil); t != "" {
		return t
	}
	return reason
}

// All is every entry of the catalogue, in order.
func All() []Entry {
	return slices.Concat(bookingEntries, accountEntries, moneyEntries, calendarEntries, teachingEntries, reportEntries, pushEntries, signinEntries, googleEntries, generalEntries, pocketbaseEntries, privacyEntries, familyEntries, insightEntries, messageEntries, sequenceEntries)
}
