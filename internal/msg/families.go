package msg

// familyEntries: guardians, their invitations and their children's
// profiles (internal/app/guardians).
var familyEntries = pairs([][3]string{
	{"already_guardian", "This person is already a guardian of this student.", "Questa persona è già genitore o tutore di questo studente."},
	{"invalid_token", "This invitation was used already, or is not valid.", "Questo invito è già stato usato o non è valido."},
	{"last_guardian", "This child has no login of their own: ask the school to remove their profile.", "Questo figlio non ha un accesso suo: chiedi alla scuola di eliminare il suo profilo."},
	{"not_a_guardian", "Choose a guardian account.", "Scegli un account di genitore."},
	{"not_a_guardian", "Sign in with a guardian account to accept this invitation.", "Accedi con un account di genitore per accettare questo invito."},
	{"not_a_student", "Guardians are invited for a student account.", "I genitori si invitano per un account studente."},
	{"not_adult", "Only an adult student can remove a guardian; ask the school.", "Solo uno studente maggiorenne può rimuovere un genitore: chiedi alla scuola."},
	{"not_your_student", "You can only act for the students you are a guardian of.", "Puoi agire solo per gli studenti di cui sei genitore o tutore."},
	{"server_owned", "You can only invite a guardian for yourself.", "Puoi invitare un genitore solo per te."},
	{"too_many_invites", "This student has too many open invitations: wait for one to be accepted.", "Questo studente ha troppi inviti aperti: aspetta che uno venga accettato."},
	{"validation_invalid_date", "Give the birth date as YYYY-MM-DD, in the past.", "Indica la data di nascita come AAAA-MM-GG, nel passato."},
	{"validation_required", `Say whether to receive them: {"on": true} or false.`, `Indica se riceverli: {"on": true} oppure false.`},
})

// pairs makes each message an entry twice: as the answer's headline and
// as the field error with its code.
func pairs(rows [][3]string) []Entry {
	out := make([]Entry, 0, 2*len(rows))
	for _, r := range rows {
		out = append(out, e("", r[1], r[2]), e(r[0], r[1], r[2]))
	}
	return out
}
