package msg

// sequenceEntries: the follow-up sequences, their words and their links
// (docs/insight.md).
var sequenceEntries = []Entry{
	e("bad_texts", "Write a title of one line and a text in every language.", "Scrivi un titolo di una riga e un testo in ogni lingua."),
	e("bad_token", "This link is not valid: open the latest message again.", "Questo link non è valido: apri di nuovo l'ultimo messaggio."),
}
