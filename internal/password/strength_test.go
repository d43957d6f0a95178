package password

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewContext(t *testing.T) {
	c := NewContext("Giulia Rossi", "giulia.rossi+tutor@example.com", "Scuola Demo-Tutorbase")
	assert.Equal(t, []string{"giulia", "rossi", "giuliarossi", "tutor", "giuliarossitutor", "example", "com", "examplecom"}, c.Personal)
	assert.Equal(t, []string{"scuola", "demo", "tutorbase", "scuolademotutorbase"}, c.School)

	short := NewContext("Al Di", "al@x.io", "")
	assert.Equal(t, []string{"aldi", "xio"}, short.Personal, "words under 3 characters are left out, joined ones kept")
	assert.Equal(t, []string{AppWord}, short.School)
}

func TestCheckStrength(t *testing.T) {
	c := NewContext("Giulia Rossi", "giulia.rossi@example.com", "Scuola Demo Tutorbase")
	tests := []struct {
		name    string
		pw      string
		reasons []string // nil: accepted
	}{
		// the examples, each accepted by the length-and-list policy
		{name: "common password and digits", pw: "password1234567890", reasons: []string{ReasonCommon}},
		{name: "digits", pw: "123456789012345678", reasons: []string{ReasonCommon, ReasonSequence}},
		{name: "one letter repeated", pw: "aaaaaaaaaaaaaaaa", reasons: []string{ReasonRepeat}},
		{name: "keyboard rows", pw: "qwertyuiopasdfgh", reasons: []string{ReasonCommon}},
		{name: "school name and digits", pw: "scuolademotutorbase123", reasons: []string{ReasonSchool, ReasonSequence}},
		{name: "school name capitalised and a recent year", pw: "ScuolaDemoTutorbase2024", reasons: []string{ReasonSchool, ReasonSequence}},
		{name: "the app's name and digits", pw: "tutorbase12345678", reasons: []string{ReasonSchool, ReasonCommon}},
		{name: "the app's name, a year and symbols", pw: "Tutorbase2024!!", reasons: []string{ReasonSchool}},
		{name: "own name and digits", pw: "giuliarossi12345", reasons: []string{ReasonPersonal, ReasonCommon}},
		{name: "own name capitalised and a year", pw: "GiuliaRossi2024!", reasons: []string{ReasonPersonal}},
		{name: "own name reversed", pw: "issorailuig5678", reasons: []string{ReasonPersonal, ReasonSequence}},
		{name: "a keyboard walk", pw: "zxcvbnm,./asdfg", reasons: []string{ReasonKeyboard, ReasonCommon}},
		// passphrases
		{name: "a walk by the river", pw: "a walk along the river at dawn"},
		{name: "four random words", pw: "correct horse battery staple"},
		{name: "words with punctuation", pw: "lessons-in-the-afternoon-9"},
		{name: "own name inside a real phrase", pw: "giulia walks her dog at noon"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckStrength(tt.pw, c)
			if tt.reasons == nil {
				assert.NoError(t, err, "score %d", Estimate(tt.pw, c).Score)
				return
			}
			var perr *Error
			require.True(t, errors.As(err, &perr), "want a refusal, score %d", Estimate(tt.pw, c).Score)
			assert.Equal(t, CodeWeak, perr.Code)
			assert.Equal(t, tt.reasons, perr.Reasons)
			assert.Equal(t, perr.Text("en"), perr.Message)
		})
	}
}

func TestExplain(t *testing.T) {
	tests := []struct {
		reasons []string
		lang    string
		want    string
	}{
		{[]string{ReasonPersonal}, "en", "This password is too easy to guess: it contains your name or email. Add a few more words: an unusual phrase is best."},
		{[]string{ReasonPersonal, ReasonKeyboard, ReasonRepeat}, "en",
			"This password is too easy to guess: it contains your name or email, a keyboard pattern and a repeated sequence. Add a few more words: an unusual phrase is best."},
		{[]string{ReasonSchool, ReasonDates}, "it",
			"Questa password è troppo facile da indovinare: contiene il nome della scuola e una data o un anno. Aggiungi qualche parola: una frase insolita è la scelta migliore."},
		{nil, "it", "Questa password è troppo facile da indovinare. Aggiungi qualche parola: una frase insolita è la scelta migliore."},
		{nil, "fr", "This password is too easy to guess. Add a few more words: an unusual phrase is best."},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Explain(tt.reasons, tt.lang))
	}
}

func TestErrorText(t *testing.T) {
	assert.Equal(t, "Usa almeno 15 caratteri.", (&Error{Code: CodeTooShort, Limit: 15}).Text("it"))
	assert.Equal(t, "Use at most 128 characters.", (&Error{Code: CodeTooLong, Limit: 128}).Text("en"))
	assert.Equal(t, "Questa password è troppo comune; scegline un'altra.", (&Error{Code: CodeCommon}).Text("it"))
}
