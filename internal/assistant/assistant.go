// Package assistant is the help assistant's pure part: which personal
// question a sentence asks (its intent), in which language, the sentences
// of the answers built from a person's own data, and the instructions a
// language model is given to phrase an answer from retrieved sources only.
//
// Intents are fixed word patterns, not a model: a question is about the
// next lesson when it names a lesson and "next" (or "when"), about credits
// when it names credits, in English or Italian (internal/textsearch folds
// the words, so "crediti" and "credits" are one word).
//
// The package is pure: strings and values in, strings out.
package assistant

import (
	"fmt"
	"slices"
	"strings"

	"tutorbase/internal/textsearch"
)

// Intent is a personal question the assistant answers from the caller's
// own data.
type Intent string

// The intents; None means the FAQ answers.
const (
	None       Intent = ""
	NextLesson Intent = "next_lesson"
	Credits    Intent = "credits"
)

// Folded words (textsearch.Fold) that name each part of an intent.
var (
	lessonWords = []string{"lesson", "lezion", "class", "lezione", "session"}
	nextWords   = []string{"next", "prossim", "quando", "when", "upcoming"}
	creditWords = []string{"credit", "credito"}
)

// Detect returns the intent of question, or None.
func Detect(question string) Intent {
	keys := textsearch.Keys(question)
	words := textsearch.Words(question)
	has := func(list []string) bool {
		return slices.ContainsFunc(keys, func(k string) bool { return slices.Contains(list, k) }) ||
			slices.ContainsFunc(words, func(w string) bool { return slices.Contains(list, w) })
	}
	switch {
	case has(creditWords):
		return Credits
	case has(lessonWords) && has(nextWords):
		return NextLesson
	}
	return None
}

// italianHints are words only an Italian question has.
var italianHints = []string{"quando", "quanti", "quante", "come", "prossima", "lezione", "ho", "mia", "miei", "mie", "posso",
	"dove", "cosa", "perche", "il", "la", "le", "di", "che", "crediti", "pacchetto", "disdire", "annullare", "un", "una"}

// englishHints are words only an English question has.
var englishHints = []string{"when", "how", "many", "my", "next", "lesson", "what", "where", "can", "the", "is", "do", "i",
	"credits", "package", "cancel", "have", "a"}

// Language is the language question is written in, "it" or "en", by its
// common words; fallback (the person's own) when it cannot tell.
func Language(question, fallback string) string {
	it, en := 0, 0
	for _, w := range textsearch.Words(question) {
		if slices.Contains(italianHints, w) {
			it++
		}
		if slices.Contains(englishHints, w) {
			en++
		}
	}
	switch {
	case it > en:
		return "it"
	case en > it:
		return "en"
	}
	return fallback
}

// Lesson is a person's next lesson as the answer names it.
type Lesson struct {
	With string // the other party's name
	When string // its time, written for the person (notify.FormatSpan)
}

// NextLessonText answers "when is my next lesson?"; nil is "none".
func NextLessonText(lang string, l *Lesson) string {
	switch {
	case l == nil && lang == "it":
		return "Non hai lezioni in programma."
	case l == nil:
		return "You have no lessons booked."
	case lang == "it":
		return fmt.Sprintf("La tua prossima lezione è con %s, %s.", l.With, l.When)
	}
	return fmt.Sprintf("Your next lesson is with %s, %s.", l.With, l.When)
}

// Package is one package's credits a person can still spend.
type Package struct {
	Title string
	Left  int
	Until string // the expiry date, written for the person; "" = none
}

// CreditsText answers "how many credits do I have?".
func CreditsText(lang string, ps []Package) string {
	total := 0
	var parts []string
	for _, p := range ps {
		total += p.Left
		s := fmt.Sprintf("%d in %s", p.Left, p.Title)
		if p.Until != "" {
			s += map[bool]string{true: " (fino al " + p.Until + ")", false: " (until " + p.Until + ")"}[lang == "it"]
		}
		parts = append(parts, s)
	}
	switch {
	case total == 0 && lang == "it":
		return "Non hai crediti da usare."
	case total == 0:
		return "You have no lesson credits left."
	case lang == "it":
		return fmt.Sprintf("Hai %s: %s.", plural(total, "1 credito", "%d crediti"), strings.Join(parts, "; "))
	}
	return fmt.Sprintf("You have %s: %s.", plural(total, "1 lesson credit", "%d lesson credits"), strings.Join(parts, "; "))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return fmt.Sprintf(many, n)
}

// UnknownText is the answer when neither an intent nor the FAQ answers.
func UnknownText(lang string) string {
	if lang == "it" {
		return "Non ho ancora una risposta a questa domanda: l'ho passata alla scuola, che aggiungerà la risposta alle domande frequenti."
	}
	return "I have no answer to that yet: I passed the question on to the school, which will add the answer to the FAQ."
}

// ChildLesson is the next lesson of one of a guardian's students; Lesson
// nil is "none booked".
type ChildLesson struct {
	Child  string // the student's name
	Lesson *Lesson
}

// FamilyNextLessonsText answers a guardian's "when is my next lesson?":
// their students' next lessons, each named, in the order given.
func FamilyNextLessonsText(lang string, kids []ChildLesson) string {
	if len(kids) == 0 {
		if lang == "it" {
			return "Non segui ancora nessuno studente, quindi non ci sono lezioni in programma."
		}
		return "You follow no students yet, so there are no lessons booked."
	}
	parts := make([]string, len(kids))
	for i, k := range kids {
		switch {
		case k.Lesson == nil && lang == "it":
			parts[i] = fmt.Sprintf("%s non ha lezioni in programma.", k.Child)
		case k.Lesson == nil:
			parts[i] = fmt.Sprintf("%s has no lessons booked.", k.Child)
		case lang == "it":
			parts[i] = fmt.Sprintf("La prossima lezione di %s è con %s, %s.", k.Child, k.Lesson.With, k.Lesson.When)
		default:
			parts[i] = fmt.Sprintf("%s's next lesson is with %s, %s.", k.Child, k.Lesson.With, k.Lesson.When)
		}
	}
	return strings.Join(parts, " ")
}
