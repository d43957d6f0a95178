package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// seededSequence is one follow-up sequence as a new school gets it: off,
// with words in every language that staff read and adjust before turning
// it on (docs/insight.md, Follow-up sequences).
type seededSequence struct {
	id, trigger string
	texts       map[string]map[string]string // language → title, body
}

func seqText(title, body string) map[string]string {
	return map[string]string{"title": title, "body": body}
}

var seededSequences = []seededSequence{
	{"seqwelcome00000", "welcome", map[string]map[string]string{
		"en": seqText("Welcome to the school", "Thank you for signing up. Browse our tutors, read their profiles and book a first lesson at a time that suits you.\n\nIf you have a question, just reply from the Help page."),
		"it": seqText("Benvenuto nella scuola", "Grazie per esserti iscritto. Sfoglia i nostri tutor, leggi i loro profili e prenota una prima lezione all'orario che preferisci.\n\nPer qualsiasi domanda, scrivici dalla pagina Aiuto."),
	}},
	{"seqfirstlesson0", "first_lesson", map[string]map[string]string{
		"en": seqText("Book your first lesson", "You signed up a few days ago but have not booked a lesson yet. Find me a tutor suggests the tutors who fit you best, with their first free times."),
		"it": seqText("Prenota la tua prima lezione", "Ti sei iscritto qualche giorno fa ma non hai ancora prenotato una lezione. Trovami un tutor ti suggerisce i tutor più adatti a te, con i loro primi orari liberi."),
	}},
	{"seqwinback00000", "win_back", map[string]map[string]string{
		"en": seqText("We miss you", "It has been a month since your last lesson. Your tutor has free times this week: pick up where you left off."),
		"it": seqText("Ci manchi", "È passato un mese dalla tua ultima lezione. Il tuo tutor ha orari liberi questa settimana: riprendi da dove eri rimasto."),
	}},
	{"seqpackagelow00", "package_low", map[string]map[string]string{
		"en": seqText("Your package is running out", "Your package has one lesson left, or expires within a week. Book your remaining lessons, or choose a new package to keep going."),
		"it": seqText("Il tuo pacchetto sta finendo", "Al tuo pacchetto resta una lezione, oppure scade entro una settimana. Prenota le lezioni che restano, o scegli un nuovo pacchetto per continuare."),
	}},
	{"seqreview000000", "review_request", map[string]map[string]string{
		"en": seqText("How are your lessons going?", "You have had three lessons now. A short review helps your tutor and other students: open one of your lessons and rate it."),
		"it": seqText("Come vanno le tue lezioni?", "Hai fatto tre lezioni. Una breve recensione aiuta il tuo tutor e gli altri studenti: apri una delle tue lezioni e valutala."),
	}},
	{"seqreportnudge0", "report_nudge", map[string]map[string]string{
		"en": seqText("Lesson reports are waiting", "One of your lessons ended two days ago and still has no report. Students and their families read them: write what you covered and set the homework."),
		"it": seqText("Dei resoconti aspettano", "Una tua lezione è finita due giorni fa e non ha ancora un resoconto. Studenti e famiglie li leggono: scrivi cosa avete fatto e assegna i compiti."),
	}},
}

// Follow-up sequences (docs/insight.md): sequences holds one row per
// trigger, its words by language (texts) and whether it is on (off by
// default); sequence_sends one row per person a sequence was sent to —
// unique, so nobody gets one twice — with when it was opened;
// sequence_optouts who unsubscribed, through which sequence's link, from
// that one or from all of them.
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		seq := core.NewBaseCollection("sequences")
		seq.Fields.Add(
			choice("trigger", true, "welcome", "first_lesson", "win_back", "package_low", "review_request", "report_nudge"),
			&core.BoolField{Name: "active"},
			&core.JSONField{Name: "texts", MaxSize: 32 << 10, Required: true},
		)
		seq.Fields.Add(timestamps()...)
		seq.AddIndex("idx_sequences_trigger", true, "trigger", "")
		rules(seq, rule(RuleSequencesManage), rule(RuleSequencesManage), nil, rule(RuleSequencesManage), nil)
		if err := app.Save(seq); err != nil {
			return err
		}
		for _, s := range seededSequences {
			r := core.NewRecord(seq)
			r.Id = s.id
			r.Load(map[string]any{"trigger": s.trigger, "active": false, "texts": s.texts})
			if err := app.Save(r); err != nil {
				return err
			}
		}
		sends := core.NewBaseCollection("sequence_sends")
		sends.Fields.Add(
			relation("sequence", seq.Id, true, true),
			relation("person", users.Id, true, true),
			&core.TextField{Name: "notification", Max: 15},
			&core.DateField{Name: "opened_at"},
		)
		sends.Fields.Add(timestamps()...)
		sends.AddIndex("idx_sequence_sends_once", true, "sequence, person", "")
		sends.AddIndex("idx_sequence_sends_person", false, "person, created", "")
		rules(sends, rule(RuleSequencesManage), rule(RuleSequencesManage), nil, nil, nil)
		if err := app.Save(sends); err != nil {
			return err
		}
		outs := core.NewBaseCollection("sequence_optouts")
		outs.Fields.Add(
			relation("person", users.Id, true, true),
			relation("sequence", seq.Id, true, true), // whose link they followed
			&core.BoolField{Name: "all_sequences"},   // and stopped every sequence
		)
		outs.Fields.Add(timestamps()...)
		outs.AddIndex("idx_sequence_optouts_person", true, "person, sequence", "")
		rules(outs, rule(RuleSequencesManage), rule(RuleSequencesManage), nil, nil, nil)
		return app.Save(outs)
	}, func(app core.App) error {
		return dropCollections(app, "sequence_optouts", "sequence_sends", "sequences")
	})
}
