package hooks_test

import (
	"testing"
	"time"
	"tutorbase/internal/app/discovery"

	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"
)

type matchAnswer struct {
	Items []discovery.MatchJSON `json:"items"`
}

// ranked checks a match answer: the tutors' names best first, ranks 1..n
// and scores that never go up.
func rankedNames(want ...string) func(testing.TB, []byte) {
	return func(t testing.TB, body []byte) {
		items := decodeAnswer[matchAnswer](t, body).Items
		var got []string
		for i, it := range items {
			got = append(got, it.Tutor.Name)
			require.Equal(t, i+1, it.Rank)
			require.True(t, it.Score >= 0 && it.Score <= 1, "score %v", it.Score)
			if i > 0 {
				require.LessOrEqual(t, it.Score, items[i-1].Score)
			}
		}
		require.Equal(t, want, got)
	}
}

// reasonTexts maps each tutor's name to their reasons' texts.
func reasonTexts(t testing.TB, body []byte) map[string][]string {
	out := map[string][]string{}
	for _, it := range decodeAnswer[matchAnswer](t, body).Items {
		for _, r := range it.Reasons {
			out[it.Tutor.Name] = append(out[it.Tutor.Name], r.Text)
		}
	}
	return out
}

func TestMatch(t *testing.T) {
	t.Parallel()
	d := newDiscovery(t)
	day, next := utc3339(d.day), utc3339(romeTime(4, 0, 0))
	const path = "/api/match?"
	full := searchQuery("subject", "mathematics", "from", day, "to", next, "max_price", "6000", "language", "it")
	for _, s := range []tests.ApiScenario{
		d.scenario("subject, hours, budget and language", path+full, 200, rankedNames("Ada Lovelace", "Cleo Carter", "Ben Barnes")),
		d.scenario("the reasons behind each rank", path+full, 200, func(t testing.TB, body []byte) {
			require.Equal(t, map[string][]string{
				"Ada Lovelace": {"Teaches Mathematics", "Free for 3 of the 24 hours you asked", "Rated 4.8 from 50 reviews",
					"€30/h, within your €60", "Teaches in Italian"},
				"Cleo Carter": {"Teaches Statistics, related to Mathematics", "Free for 4 of the 24 hours you asked", "No reviews yet",
					"€25/h, within your €60", "Teaches in Italian"},
				"Ben Barnes": {"Teaches Mathematics", "No free time in the 24 hours you asked", "Rated 5.0 from 1 review",
					"€50/h, within your €60", "Does not list Italian"},
			}, reasonTexts(t, body))
			items := decodeAnswer[matchAnswer](t, body).Items
			require.InDelta(t, 0.696, items[0].Score, 0.0005)
			require.Equal(t, []string{"subject", "availability", "rating", "price", "language"},
				[]string{items[0].Reasons[0].Code, items[0].Reasons[1].Code, items[0].Reasons[2].Code, items[0].Reasons[3].Code, items[0].Reasons[4].Code})
			require.InDelta(t, 0.3, items[0].Reasons[0].Weight, 0.0005, "a reason's weight is its share of the score")
			require.Equal(t, 180, *items[0].FreeMinutes)
			require.Equal(t, utc3339(romeTime(3, 9, 0)), items[0].NextFree)
			require.Equal(t, 0, *items[2].FreeMinutes, "Ben's only hour is booked")
			require.Empty(t, items[2].NextFree)
		}, `"tutor":{"id":"`+d.ids["ada"]+`","name":"Ada Lovelace"`),
		d.scenario("the budget is a limit", path+searchQuery("subject", "mathematics", "max_price", "4000"), 200, rankedNames("Ada Lovelace", "Cleo Carter")),
		d.scenario("nothing asked: rating and price", path, 200, rankedNames("Ada Lovelace", "Cleo Carter", "Ben Barnes", "Dan Dunn"),
			`"reasons":[{"code":"rating","text":"Rated 4.8 from 50 reviews"`),
		d.scenario("a limit", path+searchQuery("limit", "2"), 200, rankedNames("Ada Lovelace", "Cleo Carter")),
		d.scenario("only tutors of the subject's family", path+searchQuery("subject", "physics"), 200, rankedNames("Ada Lovelace", "Dan Dunn")),
		d.scenario("the exact subject ranks first in its family", path+searchQuery("subject", "mathematics-stats"), 200,
			rankedNames("Cleo Carter", "Ada Lovelace", "Ben Barnes"), `"text":"Teaches Mathematics, related to Statistics"`),
		d.scenario("a subject nobody teaches", path+searchQuery("subject", "chemistry"), 200, rankedNames(), `"items":[]`),
	} {
		s.Test(t)
	}
	bad := func(name, query string, fieldCodes ...string) tests.ApiScenario {
		return d.scenario(name, path+query, 400, nil, fieldCodes...)
	}
	for _, s := range []tests.ApiScenario{
		bad("half a window", searchQuery("from", day), `"to":{"code":"validation_required"`),
		bad("a window backwards", searchQuery("from", next, "to", day), `"to":{"code":"invalid_range"`),
		bad("a window over 14 days", searchQuery("from", day, "to", utc3339(d.day.Add(discovery.MaxFreeWindow+time.Minute))), `"to":{"code":"range_too_long"`),
		bad("a bad date", searchQuery("from", "2027-13-45", "to", next), `"from":{"code":"validation_invalid_date"`),
		bad("a bad budget", searchQuery("max_price", "-100"), `"max_price":{"code":"validation_invalid_price"`),
		bad("a bad limit", searchQuery("limit", "51"), `"limit":{"code":"validation_invalid_number"`),
		bad("an unknown subject and language", searchQuery("subject", "alchemy", "language", "klingon"),
			`"subject":{"code":"unknown_subject"`, `"language":{"code":"validation_invalid_language"`),
		bad("a bad lesson length", searchQuery("minutes", "1000"), `"minutes":{"code":"validation_invalid_number"`),
	} {
		s.Test(t)
	}
}

type alsoBookedAnswer struct {
	Items []discovery.AlsoBookedJSON `json:"items"`
}

func TestAlsoBooked(t *testing.T) {
	t.Parallel()
	d := newDiscovery(t)
	alsoBooked := func(want ...any) func(testing.TB, []byte) { // name, students, name, students, ...
		return func(t testing.TB, body []byte) {
			var got []any
			for _, it := range decodeAnswer[alsoBookedAnswer](t, body).Items {
				got = append(got, it.Tutor.Name, it.Students)
			}
			require.Equal(t, want, got)
		}
	}
	url := func(tutor, query string) string { return "/api/tutors/" + d.ids[tutor] + "/also-booked?" + query }
	for _, s := range []tests.ApiScenario{
		d.scenario("students of Ada also booked Ben (three) and Dan (one); not the unlisted ones", url("ada", ""), 200,
			alsoBooked("Ben Barnes", 3, "Dan Dunn", 1), `"tutor":{"id":"`+d.ids["ben"]+`"`),
		d.scenario("students of Ben also booked Ada and Dan", url("ben", ""), 200, alsoBooked("Ada Lovelace", 3, "Dan Dunn", 1)),
		d.scenario("equal counts: the better rated first; Eve and Fay are not listed", url("dan", ""), 200,
			alsoBooked("Ada Lovelace", 1, "Ben Barnes", 1)),
		d.scenario("a cancelled booking does not count", url("cleo", ""), 200, alsoBooked(), `"items":[]`),
		d.scenario("a limit", url("ada", "limit=1"), 200, alsoBooked("Ben Barnes", 3)),
		d.scenario("a bad limit", url("ada", "limit=0"), 400, nil, `"limit":{"code":"validation_invalid_number"`),
		d.scenario("an unlisted tutor is not found", url("eve", ""), 404, nil, `"status":404`),
		d.scenario("a suspended tutor is not found", url("fay", ""), 404, nil, `"status":404`),
		d.scenario("an unknown tutor is not found", "/api/tutors/nosuchtutor1234/also-booked", 404, nil, `"status":404`),
	} {
		s.Test(t)
	}
}

type popularAnswer struct {
	Items []discovery.PackageJSON `json:"items"`
}

func TestPopularPackages(t *testing.T) {
	t.Parallel()
	d := newDiscovery(t)
	popular := func(want ...any) func(testing.TB, []byte) { // title, sold, title, sold, ...
		return func(t testing.TB, body []byte) {
			var got []any
			for _, it := range decodeAnswer[popularAnswer](t, body).Items {
				require.NotNil(t, it.Sold)
				got = append(got, it.Title, *it.Sold)
			}
			require.Equal(t, want, got)
		}
	}
	const path = "/api/packages/popular?"
	for _, s := range []tests.ApiScenario{
		d.scenario("by sales (paid, expired, refunded), then newest; only listed tutors' published packages", path, 200,
			popular("Maths intensive", 3, "Maths ten", 2, "Stats basics", 0, "Physics five", 0), `"tutor_summary":{"id":"`+d.ids["ben"]+`"`),
		d.scenario("per subject", path+searchQuery("subject", "mathematics"), 200, popular("Maths intensive", 3, "Maths ten", 2)),
		d.scenario("per subject, by slug or id", path+searchQuery("subject", d.ids["physics"]), 200, popular("Physics five", 0)),
		d.scenario("a limit", path+searchQuery("limit", "1"), 200, popular("Maths intensive", 3)),
		d.scenario("a bad limit", path+searchQuery("limit", "0"), 400, nil, `"limit":{"code":"validation_invalid_number"`),
		d.scenario("an unknown subject", path+searchQuery("subject", "alchemy"), 400, nil, `"subject":{"code":"unknown_subject"`),
	} {
		s.Test(t)
	}
}
