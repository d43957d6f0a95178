package msg

// insightEntries: the staff's reports and the page-visit counter
// (docs/insight.md).
var insightEntries = []Entry{
	e("", "Invalid report query.", "Richiesta di report non valida."),
	e("bad_format", "Choose json, csv or pdf.", "Scegli json, csv o pdf."),
	e("filter_not_supported", "This report cannot be grouped.", "Questo report non si può raggruppare."),
	e("filter_not_supported", "This report cannot be filtered by tutor or subject.", "Questo report non si può filtrare per tutor o materia."),
	e("bad_group", "Group by week, tutor, subject or package.", "Raggruppa per settimana, tutor, materia o pacchetto."),
	e("validation_missing_rel_records", "Unknown subject.", "Materia sconosciuta."),
	e("", "Invalid visit.", "Visita non valida."),
	e("bad_path", "Send the page's route, like /tutors/:id.", "Invia il percorso della pagina, come /tutors/:id."),
}
