package reports

import (
	"strings"

	"tutorbase/internal/lang"
)

// pdfLabels are the words a report's PDF prints around its rows, in one
// language: the title, the lines under it, the page numbers, the reports'
// names and the columns' headings. The cells are the JSON's, untranslated
// (the CSV and the PDF hold the same rows).
type pdfLabels struct {
	title   string // "Report: %s", the report's name
	period  string // "From %s to %s (not included)"
	tutor   string
	subject string
	by      string // "By %s", the grouping
	page    string // "Page %d of %d"
	names   map[string]string
	columns map[string]string
}

// labels are the PDF's words in every language (internal/lang). English
// prints a column's key with spaces for underscores.
var labels = map[string]pdfLabels{
	lang.English: {
		title: "Report: %s", period: "From %s to %s (not included)", tutor: "Tutor", subject: "Subject", by: "By %s",
		page: "Page %d of %d",
		names: map[string]string{"bookings": "bookings", "revenue": "revenue", "cancellations": "cancellations",
			"notifications": "notifications", "conversion": "conversion", "utilisation": "utilisation", "retention": "retention",
			"tutors": "tutors", "students": "students", "week": "week", "tutor": "tutor", "subject": "subject", "package": "package"},
	},
	lang.Italian: {
		title: "Report: %s", period: "Dal %s al %s (escluso)", tutor: "Tutor", subject: "Materia", by: "Per %s",
		page: "Pagina %d di %d",
		names: map[string]string{"bookings": "prenotazioni", "revenue": "incassi", "cancellations": "disdette",
			"notifications": "notifiche", "conversion": "conversione", "utilisation": "occupazione", "retention": "fidelizzazione",
			"tutors": "tutor", "students": "studenti", "week": "settimana", "tutor": "tutor", "subject": "materia", "package": "pacchetto"},
		columns: map[string]string{
			"week": "settimana", "start": "inizio", "total": "totale", "completed": "completate", "cancelled": "annullate",
			"late_cancelled": "annullate tardi", "no_show": "assenze", "by_student": "dallo studente",
			"by_student_late": "dallo studente tardi", "by_tutor": "dal tutor", "by_staff": "dalla scuola", "expired": "scadute",
			"channel": "canale", "sent": "inviati", "failed": "non riusciti", "queued": "in coda", "skipped": "saltati",
			"delivery_rate": "quota consegnati", "read_rate": "quota letti", "stage": "fase", "people": "persone",
			"of_previous": "della fase precedente", "tutor": "tutor", "name": "nome", "available_hours": "ore disponibili",
			"booked_hours": "ore prenotate", "utilisation": "occupazione", "cohort": "coorte", "students": "studenti",
			"month_1": "mese 1", "month_2": "mese 2", "month_3": "mese 3", "month_4": "mese 4", "month_5": "mese 5", "month_6": "mese 6",
			"lessons": "lezioni", "no_shows": "assenze", "cancelled_by_student": "annullate dallo studente",
			"cancelled_by_tutor": "annullate dal tutor", "cancelled_by_school": "annullate dalla scuola", "reviews": "recensioni",
			"rating": "voto", "reports_on_time": "resoconti puntuali", "reports_late": "resoconti in ritardo",
			"reports_missing": "resoconti mancanti", "student": "studente", "reports": "resoconti", "first_rating": "primo voto",
			"last_rating": "ultimo voto", "change": "variazione", "homework_set": "compiti assegnati", "homework_done": "compiti fatti",
			"currency": "valuta", "paid": "pagato", "refunded": "rimborsato", "net": "netto", "group": "gruppo",
		},
	},
}

// labelsIn is the PDF's words in language l (English when l has none).
func labelsIn(l string) pdfLabels {
	if lbl, ok := labels[lang.Of(l)]; ok {
		return lbl
	}
	return labels[lang.English]
}

// name is a report's or a grouping's name.
func (l pdfLabels) name(key string) string {
	if n, ok := l.names[key]; ok {
		return n
	}
	return key
}

// heading is a column's heading.
func (l pdfLabels) heading(col string) string {
	if h, ok := l.columns[col]; ok {
		return h
	}
	return strings.ReplaceAll(col, "_", " ")
}
