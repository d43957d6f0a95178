package assistant

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDetect(t *testing.T) {
	for q, want := range map[string]Intent{
		"When is my next lesson?":            NextLesson,
		"quando ho la prossima lezione?":     NextLesson,
		"Quand'è la mia prossima lezione":    NextLesson,
		"next class please":                  NextLesson,
		"How many credits do I have?":        Credits,
		"Quanti crediti mi restano?":         Credits,
		"How do I cancel a lesson?":          None,
		"Come funziona il rimborso?":         None,
		"":                                   None,
		"lesson":                             None,
		"credit card payments are accepted?": Credits,
	} {
		require.Equal(t, want, Detect(q), q)
	}
}

func TestLanguage(t *testing.T) {
	require.Equal(t, "it", Language("Quanti crediti ho?", "en"))
	require.Equal(t, "en", Language("When is my next lesson?", "it"))
	require.Equal(t, "it", Language("ciao", "it"), "the fallback when nothing tells")
	require.Equal(t, "en", Language("", "en"))
}

func TestTexts(t *testing.T) {
	l := &Lesson{With: "Giulia Rossi", When: "mar 8 dic 2026, 17:00–18:00 (Europe/Rome)"}
	require.Equal(t, "La tua prossima lezione è con Giulia Rossi, mar 8 dic 2026, 17:00–18:00 (Europe/Rome).", NextLessonText("it", l))
	require.Equal(t, "You have no lessons booked.", NextLessonText("en", nil))
	ps := []Package{{"Maths ten", 7, "12 Mar 2027"}, {"Physics five", 1, ""}}
	require.Equal(t, "You have 8 lesson credits: 7 in Maths ten (until 12 Mar 2027); 1 in Physics five.", CreditsText("en", ps))
	require.Equal(t, "Hai 1 credito: 1 in Physics five.", CreditsText("it", ps[1:]))
	require.Equal(t, "Non hai crediti da usare.", CreditsText("it", nil))
}

func TestPrompt(t *testing.T) {
	m := Prompt("How do I cancel?", "it", []Source{{"Cancelling", "Open the lesson."}, {"Refunds", "In time: credit back."}})
	require.Len(t, m, 2)
	require.Equal(t, "system", m[0].Role)
	require.True(t, strings.Contains(m[0].Content, "in Italian"))
	require.True(t, strings.HasSuffix(m[0].Content, "[1] Cancelling\nOpen the lesson.\n\n[2] Refunds\nIn time: credit back."))
	require.Equal(t, Message{"user", "How do I cancel?"}, m[1])
}

func TestFamilyNextLessonsText(t *testing.T) {
	l := &Lesson{With: "Giulia Rossi", When: "Tue 8 Dec 2026, 17:00–18:00 (Europe/Rome)"}
	kids := []ChildLesson{{"Nora", l}, {"Leo", nil}}
	require.Equal(t, "Nora's next lesson is with Giulia Rossi, Tue 8 Dec 2026, 17:00–18:00 (Europe/Rome). Leo has no lessons booked.", FamilyNextLessonsText("en", kids))
	require.Equal(t, "La prossima lezione di Nora è con Giulia Rossi, Tue 8 Dec 2026, 17:00–18:00 (Europe/Rome). Leo non ha lezioni in programma.", FamilyNextLessonsText("it", kids))
	require.Equal(t, "You follow no students yet, so there are no lessons booked.", FamilyNextLessonsText("en", nil))
}
