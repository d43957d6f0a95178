package msg

// googleEntries: sign-in with Google and the Google Calendar connection
// (internal/app/google).
var googleEntries = []Entry{
	e("link_after_password", "An account with this email already exists. Sign in with your password, then link Google from your account page.",
		"Esiste già un account con questa email. Accedi con la tua password, poi collega Google dalla pagina del tuo account."),
	e("", "An account with this email already exists. Sign in with your password, then link Google from your account page.",
		"Esiste già un account con questa email. Accedi con la tua password, poi collega Google dalla pagina del tuo account."),
	e("not_configured", "Google Calendar is not set up for this school.", "Google Calendar non è configurato per questa scuola."),
	e("", "Google Calendar is not set up for this school.", "Google Calendar non è configurato per questa scuola."),
	e("bad_consent", "Google did not confirm the connection. Try connecting again.", "Google non ha confermato il collegamento. Prova a collegarti di nuovo."),
	e("", "Google did not confirm the connection. Try connecting again.", "Google non ha confermato il collegamento. Prova a collegarti di nuovo."),
	e("validation_required", "Say which material to share.", "Indica quale materiale condividere."),
	e("", "Say which material to share.", "Indica quale materiale condividere."),
	e("not_drive", "This material is not a Google Drive file.", "Questo materiale non è un file di Google Drive."),
	e("", "This material is not a Google Drive file.", "Questo materiale non è un file di Google Drive."),
	e("not_connected", "Connect your Google account first (Account → Google).", "Prima collega il tuo account Google (Account → Google)."),
	e("", "Connect your Google account first (Account → Google).", "Prima collega il tuo account Google (Account → Google)."),
	e("drive_failed", "Google Drive did not share the file. Try again.", "Google Drive non ha condiviso il file. Riprova."),
	e("", "Google Drive did not share the file. Try again.", "Google Drive non ha condiviso il file. Riprova."),
	e("validation_required", "Choose the calendar for your lessons and those that block your free times.", "Scegli il calendario per le tue lezioni e quelli che bloccano i tuoi orari liberi."),
	e("", "Choose the calendar for your lessons and those that block your free times.", "Scegli il calendario per le tue lezioni e quelli che bloccano i tuoi orari liberi."),
	e("too_many_calendars", "Choose at most 20 calendars that block your free times.", "Scegli al massimo 20 calendari che bloccano i tuoi orari liberi."),
	e("", "Choose at most 20 calendars that block your free times.", "Scegli al massimo 20 calendari che bloccano i tuoi orari liberi."),
	e("unknown_calendar", "One of the chosen calendars is not in your Google account.", "Uno dei calendari scelti non è nel tuo account Google."),
	e("", "One of the chosen calendars is not in your Google account.", "Uno dei calendari scelti non è nel tuo account Google."),
	e("not_writable", "Lessons can only be written to a calendar you may edit.", "Le lezioni possono essere scritte solo in un calendario che puoi modificare."),
	e("", "Lessons can only be written to a calendar you may edit.", "Le lezioni possono essere scritte solo in un calendario che puoi modificare."),
	e("google_failed", "Google did not list your calendars. Try again in a minute.", "Google non ha elencato i tuoi calendari. Riprova tra un minuto."),
	e("", "Google did not list your calendars. Try again in a minute.", "Google non ha elencato i tuoi calendari. Riprova tra un minuto."),
	e("google_failed", "Google did not answer. Try again in a minute.", "Google non ha risposto. Riprova tra un minuto."),
	e("", "Google did not answer. Try again in a minute.", "Google non ha risposto. Riprova tra un minuto."),
}
