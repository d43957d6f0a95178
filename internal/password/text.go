package password

import (
	"fmt"
	"strings"
	"tutorbase/internal/lang"
)

// Languages the messages are written in; any other falls back to English.
const ()

// Text is e's message in lang ("it" or "en"; anything else is English).
func (e *Error) Text(language string) string {
	it := lang.Of(language) == lang.Italian
	pick := func(en, itText string) string {
		if it {
			return itText
		}
		return en
	}
	switch e.Code {
	case CodeTooLong:
		return fmt.Sprintf(pick("Use at most %d characters.", "Usa al massimo %d caratteri."), e.Limit)
	case CodeTooShort:
		return fmt.Sprintf(pick("Use at least %d characters.", "Usa almeno %d caratteri."), e.Limit)
	case CodeCommon:
		return pick("This password is too common; choose another.", "Questa password è troppo comune; scegline un'altra.")
	case CodeContainsEmail:
		return pick("Don't use your email address in your password.", "Non usare il tuo indirizzo email nella password.")
	case CodeWeak:
		return Explain(e.Reasons, language)
	}
	return e.Message
}

// reasonText names each reason in English and Italian, as the object of
// "it contains ...".
var reasonText = map[string][2]string{
	ReasonPersonal: {"your name or email", "il tuo nome o la tua email"},
	ReasonSchool:   {"the school's name", "il nome della scuola"},
	ReasonCommon:   {"a common password", "una password molto usata"},
	ReasonWords:    {"common words", "parole comuni"},
	ReasonNames:    {"common names", "nomi comuni"},
	ReasonKeyboard: {"a keyboard pattern", "una sequenza di tasti vicini"},
	ReasonRepeat:   {"a repeated sequence", "una ripetizione"},
	ReasonSequence: {"a run like abc or 123", "una serie come abc o 123"},
	ReasonDates:    {"a date or a year", "una data o un anno"},
}

// Explain says, in lang, why a password is easy to guess: "This password
// is too easy to guess: it contains your name or email and a keyboard
// pattern. ..." With no reasons it says so without a list.
func Explain(reasons []string, language string) string {
	i := 0
	if lang.Of(language) == lang.Italian {
		i = 1
	}
	var parts []string
	for _, r := range reasons {
		if t, ok := reasonText[r]; ok {
			parts = append(parts, t[i])
		}
	}
	head := [2]string{"This password is too easy to guess", "Questa password è troppo facile da indovinare"}[i]
	tail := [2]string{"Add a few more words: an unusual phrase is best.", "Aggiungi qualche parola: una frase insolita è la scelta migliore."}[i]
	if len(parts) == 0 {
		return head + ". " + tail
	}
	and := [2]string{" and ", " e "}[i]
	list := parts[len(parts)-1]
	if len(parts) > 1 {
		list = strings.Join(parts[:len(parts)-1], ", ") + and + list
	}
	contains := [2]string{": it contains ", ": contiene "}[i]
	return head + contains + list + ". " + tail
}
