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
}
