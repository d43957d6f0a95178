package password

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
)

// MinScore is the lowest zxcvbn score a new password may have. zxcvbn
// rates a password 0 to 4 by the guesses an attacker who knows the common
// patterns would need; 3 is "safely unguessable" (at least 10^8 guesses).
const MinScore = 3

// AppWord is always among the context words: a password built on the
// app's own name is the first thing an attacker tries.
const AppWord = "tutorbase"

// minContextRunes is the shortest context word worth matching: shorter
// ones ("al", "di") turn up by chance in good passphrases.
const minContextRunes = 3

// Context is what an attacker knows about an account: words of the
// person's name and email, and of the school's name.
type Context struct {
	Personal []string // the name's and the email's words, and each joined
	School   []string // the school's name's words, joined, and AppWord
}

// NewContext splits name, email and school into their words (on spaces,
// dots, dashes, plus signs, underscores and "@"), lower-cased, and adds
// the words of each joined together ("giuliarossi"), so a password made of
// them is recognised however it is glued.
func NewContext(name, email, school string) Context {
	local, domain, _ := strings.Cut(email, "@")
	var c Context
	c.Personal = appendWords(c.Personal, name)
	c.Personal = appendWords(c.Personal, local)
	c.Personal = appendWords(c.Personal, domain)
	c.School = appendWords(c.School, school)
	if !slices.Contains(c.School, AppWord) {
		c.School = append(c.School, AppWord)
	}
	return c
}

func appendWords(dst []string, s string) []string {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(".-+_@", r)
	})
	for _, w := range append(words, strings.Join(words, "")) {
		if utf8.RuneCountInString(w) >= minContextRunes && !slices.Contains(dst, w) {
			dst = append(dst, w)
		}
	}
	return dst
}

// Reasons a password is easy to guess, from the patterns zxcvbn found in
// it. Clients switch on them; Explain turns them into a sentence.
const (
	ReasonPersonal = "personal" // the person's name or email
	ReasonSchool   = "school"   // the school's or the app's name
	ReasonCommon   = "common"   // a common password
	ReasonWords    = "words"    // common words
	ReasonNames    = "names"    // common first names or surnames
	ReasonKeyboard = "keyboard" // keys next to each other (qwerty, 1qaz)
	ReasonRepeat   = "repeat"   // a repeated character or chunk
	ReasonSequence = "sequence" // abc, 123, 9876
	ReasonDates    = "dates"    // a date or a recent year
)

// Strength is zxcvbn's verdict on a password.
type Strength struct {
	Score   int      // 0 (guessed at once) to 4 (very hard)
	Reasons []string // the patterns that made it guessable, in order, no repeats
}

// Estimate rates pw with zxcvbn (the Go port of Dropbox's estimator, with
// its English dictionaries), counting the context words as the likeliest
// guesses of all.
func Estimate(pw string, c Context) Strength {
	inputs := append(slices.Clone(c.Personal), c.School...)
	r := zxcvbn.PasswordStrength(pw, inputs)
	s := Strength{Score: r.Score}
	for _, m := range r.Sequence {
		reason := ""
		switch m.Pattern {
		case "dictionary":
			reason = dictionaryReason(m.DictionaryName, m.MatchedWord, c)
		case "spatial":
			reason = ReasonKeyboard
		case "repeat":
			reason = ReasonRepeat
		case "sequence":
			reason = ReasonSequence
		case "date", "regex":
			reason = ReasonDates
		}
		if reason != "" && !slices.Contains(s.Reasons, reason) {
			s.Reasons = append(s.Reasons, reason)
		}
	}
	return s
}

func dictionaryReason(dictionary, word string, c Context) string {
	switch dictionary {
	case "user_inputs":
		if slices.Contains(c.Personal, word) {
			return ReasonPersonal
		}
		return ReasonSchool
	case "passwords":
		return ReasonCommon
	case "female_names", "male_names", "surnames":
		return ReasonNames
	}
	return ReasonWords
}

// CheckStrength returns nil when pw scores at least MinScore given c and
// is more than context words dressed up, or a *Error with CodeWeak and the
// reasons.
func CheckStrength(pw string, c Context) error {
	s := Estimate(pw, c)
	if s.Score >= MinScore && !onlyContext(pw, c) {
		return nil
	}
	e := &Error{Code: CodeWeak, Reasons: s.Reasons}
	e.Message = e.Text("en")
	return e
}

// onlyContext reports whether pw is context words with digits, symbols and
// capitals around them ("GiuliaRossi2024!"): zxcvbn 4.4.2 knows the years
// only up to 2019 and counts capitals as extra guesses, so it can rate such
// a password 3, while an attacker who knows the name tries it early.
func onlyContext(pw string, c Context) bool {
	words := append(slices.Clone(c.Personal), c.School...)
	slices.SortFunc(words, func(a, b string) int { return len(b) - len(a) }) // longest first
	rest, found := strings.ToLower(pw), false
	for _, w := range words {
		if strings.Contains(rest, w) {
			rest, found = strings.ReplaceAll(rest, w, " "), true
		}
	}
	letters := 0
	for _, r := range rest {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return found && letters < minContextRunes
}
