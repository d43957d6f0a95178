package msg

// messageEntries: conversations and their messages
// (internal/app/messages).
var messageEntries = pairs([][3]string{
	{"validation_required", "Choose whom to write to.", "Scegli a chi scrivere."},
	{"validation_required", "Write a message or attach a file.", "Scrivi un messaggio o allega un file."},
	{"not_allowed", "You cannot start a conversation with this person.", "Non puoi iniziare una conversazione con questa persona."},
	{"not_allowed", "You can write only to students you have had a lesson with.", "Puoi scrivere solo agli studenti con cui hai fatto lezione."},
	{"thread_closed", "This conversation is closed.", "Questa conversazione è chiusa."},
	{"too_many_messages", "You are sending too many messages: wait a minute and try again.", "Stai inviando troppi messaggi: aspetta un minuto e riprova."},
	{"read_only", "Only the text of a message can be edited.", "Si può modificare solo il testo di un messaggio."},
	{"bad_state", "This message was deleted.", "Questo messaggio è stato eliminato."},
	{"bad_state", "This conversation was reported already.", "Questa conversazione è già stata segnalata."},
	{"bad_state", "This conversation is closed already.", "Questa conversazione è già chiusa."},
})
