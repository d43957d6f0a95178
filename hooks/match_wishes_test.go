package hooks_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/assist"

	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"
)

// TestMatchWishes: the wizard's level, goals and preferred times on the
// discovery directory (search_test.go). Levels of the students who
// completed lessons: Student "Liceo scientifico" (with Ada), Student2
// "liceo classico" (with Ada and Ben), Third "University" (with Ada, Dan).
// Every morning (08-12 Rome) of the 14 days from tomorrow is 56 hours:
// Ada is free 09-12 but for her lesson on day 4 at 09, Ben 10-11 but for
// his lessons on days 3 and 8. Cleo, never free then, is unmet demand.
func TestMatchWishes(t *testing.T) {
	t.Parallel()
	d := newDiscovery(t)
	third, err := d.app.FindAuthRecordByEmail("users", "third@discovery.localhost")
	require.NoError(t, err)
	for user, level := range map[string]string{
		cast.Users[hookstest.Student]: "Liceo scientifico", cast.Users[hookstest.Student2]: "liceo classico", third.Id: "University",
	} {
		p, err := d.app.FindFirstRecordByData("students", "user", user)
		require.NoError(t, err)
		d.update(t, "students", p.Id, map[string]any{"level": level})
	}
	mornings := "mon-morning,tue-morning,wed-morning,thu-morning,fri-morning,sat-morning,sun-morning"
	const path = "/api/match?"
	full := searchQuery("subject", "mathematics", "level", "Liceo", "goals", "Exams in maths and physics", "times", mornings, "timezone", "Europe/Rome")
	for _, s := range []tests.ApiScenario{
		d.scenario("level, goals and preferred times, with their reasons", path+full, 200, func(t testing.TB, body []byte) {
			rankedNames("Ada Lovelace", "Ben Barnes", "Cleo Carter")(t, body)
			require.Equal(t, map[string][]string{
				"Ada Lovelace": {"Teaches Mathematics", "Free for 41 of the 56 hours you asked", "Rated 4.8 from 50 reviews", "€30/h",
					"Taught 2 students at your level (Liceo)", "Profile mentions maths"},
				"Ben Barnes": {"Teaches Mathematics", "Free for 12 of the 56 hours you asked", "Rated 5.0 from 1 review", "€50/h",
					"Taught 1 student at your level (Liceo)", "Profile mentions none of your goals"},
				"Cleo Carter": {"Teaches Statistics, related to Mathematics", "No free time in the 56 hours you asked", "No reviews yet", "€25/h",
					"No students at your level (Liceo) yet", "Profile mentions none of your goals"},
			}, reasonTexts(t, body))
			items := decodeAnswer[matchAnswer](t, body).Items
			require.Equal(t, 41*60, *items[0].FreeMinutes)
			require.Equal(t, utc3339(romeTime(1, 9, 0)), items[0].NextFree, "tomorrow's first morning lesson")
			require.Equal(t, utc3339(romeTime(1, 10, 0)), items[1].NextFree)
			require.Equal(t, "Europe/Rome", items[0].Timezone)
			// Ada: (0.3·1 + 0.3·41/56 + 0.2·(4.667−1)/4 + 0.1·(1 − 3000/(2·5000)) + 0.15·2/3 + 0.15·1/3) ÷ 1.2
			require.InDelta(t, 0.769, items[0].Score, 0.0005)
		}),
		d.scenario("a level nobody has", path+searchQuery("level", "dottorato", "limit", "1"), 200, nil,
			`"code":"level","text":"No students at your level (dottorato) yet","weight":0}`),
		d.scenario("goals of stop words only ask nothing", path+searchQuery("goals", "the and of", "limit", "1"), 200, nil,
			`"reasons":[{"code":"rating"`),
	} {
		s.Test(t)
	}
	// Cleo had no free time in the one search for free time above: staff see it
	rows, err := d.app.FindAllRecords("unmet_demand")
	require.NoError(t, err)
	require.Len(t, rows, 1)
	require.Equal(t, d.ids["cleo"], rows[0].GetString("tutor"))
	require.Equal(t, 1, rows[0].GetInt("searches"))
	srv := hookstest.Serve(t, d.app)
	hookstest.Call(t, srv, http.MethodGet, "/api/match?"+searchQuery("subject", "mathematics-stats", "times", "sun-morning"), "", nil)
	hookstest.Fire(t, srv, 8, http.MethodGet, "/api/match?"+full, "", nil)
	res := hookstest.Call(t, srv, http.MethodGet, "/api/suggestions", cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	var staff struct {
		Demand []assist.DemandJSON `json:"demand"`
	}
	require.NoError(t, json.Unmarshal(res.Body, &staff))
	require.Equal(t, []assist.DemandJSON{{Text: "Cleo Carter non aveva tempo libero in 10 ricerche degli ultimi 30 giorni.", Tutor: d.ids["cleo"], Name: "Cleo Carter", Searches: 10}},
		staff.Demand, "Cleo is never free on mornings, Ada and Ben are; one row a day, counted at once")

	bad := func(name, query string, fieldCodes ...string) tests.ApiScenario {
		return d.scenario(name, path+query, 400, nil, fieldCodes...)
	}
	for _, s := range []tests.ApiScenario{
		bad("an unknown part of the day", searchQuery("times", "tue-night"), `"times":{"code":"validation_invalid_value"`),
		bad("times and a window", searchQuery("times", "tue-evening", "from", utc3339(d.day), "to", utc3339(romeTime(4, 0, 0))),
			`"times":{"code":"validation_invalid_value","message":"Give either from and to, or times, not both."`),
		bad("a level too long", searchQuery("level", strings.Repeat("x", 101)), `"level":{"code":"validation_length_too_long"`),
		bad("goals too long", searchQuery("goals", strings.Repeat("maths ", 100)), `"goals":{"code":"validation_length_too_long"`),
		bad("an unknown time zone", searchQuery("times", "tue-evening", "timezone", "Mars/Olympus"), `"timezone":{"code":"invalid_timezone"`),
	} {
		s.Test(t)
	}
}

// TestMatchReasonsInItalian: the reasons are in the caller's language —
// an Italian-speaking student's locale, or a visitor's Accept-Language —
// with the subjects' Italian names where the school gave them, and in
// English for an English visitor.
func TestMatchReasonsInItalian(t *testing.T) {
	t.Parallel()
	d := newDiscovery(t)
	for slug, name := range map[string]string{"mathematics": "Matematica", "mathematics-stats": "Statistica"} {
		s, err := d.app.FindFirstRecordByData("subjects", "slug", slug)
		require.NoError(t, err)
		s.Set("names", map[string]string{"it": name})
		require.NoError(t, d.app.Save(s))
	}
	srv := hookstest.Serve(t, d.app)
	mornings := "mon-morning,tue-morning,wed-morning,thu-morning,fri-morning,sat-morning,sun-morning"
	query := "/api/match?" + searchQuery("subject", "mathematics", "level", "dottorato", "goals", "Exams in maths and physics", "times", mornings,
		"timezone", "Europe/Rome", "language", "de", "max_price", "6000")
	italian := map[string][]string{
		"Ada Lovelace": {"Insegna Matematica", "Libero per 41 delle 56 ore richieste", "Valutazione 4,8 da 50 recensioni", "€ 30/h, entro i tuoi € 60",
			"Non indica di insegnare in tedesco", "Ancora nessuno studente del tuo livello (dottorato)", "Il profilo cita maths"},
		"Ben Barnes": {"Insegna Matematica", "Libero per 12 delle 56 ore richieste", "Valutazione 5,0 da 1 recensione", "€ 50/h, entro i tuoi € 60",
			"Non indica di insegnare in tedesco", "Ancora nessuno studente del tuo livello (dottorato)", "Il profilo non cita nessuno dei tuoi obiettivi"},
		"Cleo Carter": {"Insegna Statistica, affine a Matematica", "Nessun momento libero nelle 56 ore richieste", "Ancora nessuna recensione",
			"€ 25/h, entro i tuoi € 60", "Non indica di insegnare in tedesco", "Ancora nessuno studente del tuo livello (dottorato)",
			"Il profilo non cita nessuno dei tuoi obiettivi"},
	}
	res := hookstest.Call(t, srv, http.MethodGet, query, cast.Tokens[hookstest.Student], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, italian, reasonTexts(t, res.Body), "the cast's student speaks Italian")
	res = hookstest.CallWith(t, srv, http.MethodGet, query, "", nil, map[string]string{"Accept-Language": "it-IT,it;q=0.9"})
	require.Equal(t, italian, reasonTexts(t, res.Body), "a visitor's browser in Italian")
	res = hookstest.CallWith(t, srv, http.MethodGet, query, "", nil, map[string]string{"Accept-Language": "en-GB,en;q=0.9"})
	require.Equal(t, []string{"Teaches Mathematics", "Free for 41 of the 56 hours you asked", "Rated 4.8 from 50 reviews", "€30/h, within your €60",
		"Does not list German", "No students at your level (dottorato) yet", "Profile mentions maths"}, reasonTexts(t, res.Body)["Ada Lovelace"])
}
