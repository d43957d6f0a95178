package privacy

import (
	"cmp"
	"strings"
	"time"

	"tutorbase/internal/lang"
)

// readmes explain an export's files, one text per language of
// lang.Supported; {name} and {date} are filled in.
var readmes = map[string]string{
	lang.English: `Your data at the school, as of {date}
Prepared for {name}.

This archive holds everything the school keeps about your account.
The .json files are plain text (JSON) that any editor or spreadsheet
can open; dates are in UTC.

README.txt          this file
profile.json        your account (name, email, phone, language, time zone,
                    notification choices), your student or tutor profile
                    and your invoice details
bookings.json       every lesson you booked or taught, cancelled ones included
payments.json       your package purchases, payments, refunds and the ledger
                    of your package credits
invoices/           your invoices and credit notes as PDF, with invoices.json
messages.json       the messages you sent and received
reports.json        the lesson reports and homework about your lessons,
                    and the reviews you wrote
materials/          the files you uploaded, with materials.json
notifications.json  the notifications the school sent you
audit.json          the events of your account: sign-ins, changes, exports

You may ask the school to correct or delete your data. Deleting your
account (Settings, "Delete my account") erases it after 14 days; signing
in before then cancels it. Invoices and payments are kept for ten years,
as tax law requires, readable only by the school's staff.
`,
	lang.Italian: `I tuoi dati presso la scuola, al {date}
Preparato per {name}.

Questo archivio contiene tutto ciò che la scuola conserva del tuo account.
I file .json sono testo semplice (JSON) che qualsiasi editor o foglio di
calcolo può aprire; le date sono in UTC.

README.txt          questo file
profile.json        il tuo account (nome, email, telefono, lingua, fuso
                    orario, scelte sulle notifiche), il tuo profilo di
                    studente o di tutor e i tuoi dati di fatturazione
bookings.json       ogni lezione che hai prenotato o tenuto, anche annullata
payments.json       i pacchetti acquistati, i pagamenti, i rimborsi e il
                    registro dei crediti dei pacchetti
invoices/           le tue fatture e note di credito in PDF, con invoices.json
messages.json       i messaggi che hai inviato e ricevuto
reports.json        i resoconti delle lezioni e i compiti, e le recensioni
                    che hai scritto
materials/          i file che hai caricato, con materials.json
notifications.json  le notifiche che la scuola ti ha inviato
audit.json          gli eventi del tuo account: accessi, modifiche, esportazioni

Puoi chiedere alla scuola di correggere o cancellare i tuoi dati.
Eliminare l'account (Impostazioni, "Elimina il mio account") lo cancella
dopo 14 giorni; accedere prima di allora annulla la richiesta. Fatture e
pagamenti si conservano per dieci anni, come richiede la legge fiscale,
leggibili solo dal personale della scuola.
`,
}

// readme is the README of an export in language.
func readme(language, name string, now time.Time) string {
	text := cmp.Or(readmes[language], readmes[lang.English])
	return strings.NewReplacer("{name}", name, "{date}", now.Format("2006-01-02 15:04 UTC"), "\n", "\r\n").Replace(text)
}
