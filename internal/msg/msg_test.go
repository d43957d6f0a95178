package msg

import (
	"slices"
	"testing"

	"tutorbase/internal/lang"
)

// Every entry speaks every language, with the same placeholders, and no
// two entries of a code share an English text.
func TestCatalogueIsComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, en := range All() {
		key := en.Code + "\x00" + en.Text["en"]
		if seen[key] {
			t.Errorf("%s %q is listed twice", en.Code, en.Text["en"])
		}
		seen[key] = true
		want := placeholders(en.Text["en"])
		for _, l := range lang.Supported {
			text, ok := en.Text[l]
			if !ok || text == "" {
				t.Errorf("%s %q has no %s text", en.Code, en.Text["en"], l)
				continue
			}
			if got := placeholders(text); !slices.Equal(got, want) {
				t.Errorf("%s %q in %s has placeholders %v, want %v", en.Code, en.Text["en"], l, got, want)
			}
		}
	}
	for kind, ws := range words {
		for w, tr := range ws {
			for _, l := range lang.Supported[1:] {
				if tr[l] == "" {
					t.Errorf("%s word %q has no %s", kind, w, l)
				}
			}
		}
	}
	for _, g := range generic {
		if _, ok := Translate("it", "", g); !ok {
			t.Errorf("generic headline %q is not in the catalogue", g)
		}
	}
}

func placeholders(s string) []string {
	out := placeholder.FindAllString(s, -1)
	slices.Sort(out)
	return out
}

func TestTranslate(t *testing.T) {
	tests := []struct {
		lang, code, message, want string
		ok                        bool
	}{
		{"it", "slot_conflict", "That time is no longer free.", "Quell'orario non è più libero.", true},
		{"it", "slot_conflict", "You already have a lesson at that time.", "Hai già una lezione in quell'orario.", true},
		{"en", "slot_conflict", "That time is no longer free.", "That time is no longer free.", true},
		{"it", "bad_state", "A no_show booking cannot be cancelled.", "Una lezione con assenza non può essere annullata.", true},
		{"it", "bad_state", "A confirmed booking cannot be marked as a no-show.", "Una lezione confermata non può essere segnata come assenza.", true},
		{"it", "too_late", "Lessons can be moved up to 24 hours before they start; ask your tutor.", "Le lezioni si possono spostare fino a 24 ore prima dell'inizio: chiedi al tuo tutor.", true},
		{"it", "too_soon", "Lessons must be booked at least 1 hour in advance.", "Le lezioni vanno prenotate con almeno 1 ora di anticipo.", true},
		{"it", "overlapping_window", "This window overlaps another one (Sunday 09:00-11:00).", "Questa fascia si sovrappone a un'altra (domenica 09:00-11:00).", true},
		{"it", "validation_max_text_constraint", "Must be no more than 120 character(s).", "Deve avere al massimo 120 caratteri.", true},
		{"it", "validation_required", "Cannot be blank.", "Obbligatorio.", true},
		{"it", "", "Too Many Requests.", "Troppe richieste: riprova tra poco.", true},
		{"it", "", "You cannot no-show this booking.", "Non puoi segnare come assenza questa lezione.", true},
		{"it", "slot_conflict", "Something the catalogue never heard of.", "Something the catalogue never heard of.", false},
		{"it", "no_such_code", "That time is no longer free.", "That time is no longer free.", false},
	}
	for _, tt := range tests {
		got, ok := Translate(tt.lang, tt.code, tt.message)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Translate(%s, %s, %q) = %q, %v; want %q, %v", tt.lang, tt.code, tt.message, got, ok, tt.want, tt.ok)
		}
	}
}

func TestWordsReasonsAndGeneric(t *testing.T) {
	if got := Reason("it", "rescheduled"); got != "spostata a un altro orario" {
		t.Errorf("Reason(it, rescheduled) = %q", got)
	}
	if got := Reason("it", "Exam moved"); got != "Exam moved" {
		t.Errorf("a person's own reason changed: %q", got)
	}
	if got := Reason("en", "unpaid"); got != "not paid by the deadline" {
		t.Errorf("Reason(en, unpaid) = %q", got)
	}
	if got := Word("it", "weekday", "Monday"); got != "lunedì" {
		t.Errorf("Word = %q", got)
	}
	if !Generic("Failed to create record") || Generic("That time is no longer free.") {
		t.Error("Generic misreads a headline")
	}
	if got := Text("it", "summary.fields", map[string]string{"n": "3"}); got != "Controlla 3 campi: ognuno dice cosa cambiare." {
		t.Errorf("Text = %q", got)
	}
}
