package hooks_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/booking"
	"tutorbase/internal/app/discovery"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/stretchr/testify/require"
)

// directory is the directory the discovery tests search: the cast's own
// tutors are taken out of it, so exactly these are listed:
//
//	tutor  subjects             languages rate  rating    free (Rome, every day)
//	Ada    mathematics, physics it, en    3000  4.8 × 50  09:00-12:00
//	Ben    mathematics          en        5000  5.0 × 1   10:00-11:00, booked on day D
//	Cleo   mathematics-stats    it        2500  none      14:00-18:00
//	Dan    physics              de        8000  4.0 × 10  never
//
// Eve (mathematics, unverified) and Fay (mathematics, suspended) are not
// listed. Ada's profile holds a Stripe account and a meeting link that must
// never show.
type directory struct {
	app *tests.TestApp
	ids map[string]string // tutors by first name (lower case), subjects and packages by key
	day time.Time         // D: local midnight in Rome three days ahead
}

const (
	secretAccount = "acct_SECRETdiscovery1"
	secretRoom    = "https://meet.example.com/secret-room-ada"
)

// newDiscovery clones the cast and adds the directory above, with
// packages, purchases and bookings.
func newDiscovery(t *testing.T) *directory {
	t.Helper()
	app := cast.Clone(t)
	t.Cleanup(app.Cleanup)
	hookstest.NoRateLimits(app)
	d := &directory{app: app, ids: map[string]string{}, day: romeTime(3, 0, 0)}
	for _, role := range []string{hookstest.Tutor, hookstest.Tutor2} {
		d.update(t, "tutors", cast.Tutors[role], map[string]any{"verified": false})
	}
	d.ids["mathematics"] = cast.IDs["subject"]
	for _, s := range [][2]string{{"physics", "Physics"}, {"mathematics-stats", "Statistics"}, {"chemistry", "Chemistry"}} {
		d.ids[s[0]] = d.save(t, "subjects", map[string]any{"slug": s[0], "name": s[1]})
	}
	d.addTutors(t)
	d.addPackages(t)
	d.addBookings(t)
	return d
}

func (d *directory) save(t *testing.T, collection string, data map[string]any) string {
	t.Helper()
	col, err := d.app.FindCachedCollectionByNameOrId(collection)
	require.NoError(t, err)
	r := core.NewRecord(col)
	r.Load(data)
	require.NoError(t, d.app.SaveWithContext(importedCtx(), r), "%s %v", collection, data)
	return r.Id
}

func (d *directory) update(t *testing.T, collection, id string, data map[string]any) {
	t.Helper()
	r, err := d.app.FindRecordById(collection, id)
	require.NoError(t, err)
	r.Load(data)
	require.NoError(t, d.app.Save(r))
}

func (d *directory) addTutors(t *testing.T) {
	t.Helper()
	tutors := []struct {
		key, name    string
		fields       map[string]any
		start, end   string // every day, Rome; "" = no availability
		unlist, stop bool   // leave unverified / suspend
	}{
		{"ada", "Ada Lovelace", map[string]any{"subjects": []string{d.ids["mathematics"], d.ids["physics"]}, "languages": []string{"it", "en"},
			"hourly_rate": 3000, "rating_avg": 4.8, "rating_count": 50, "headline": "Numbers are friends", "bio": "Twenty years of maths.",
			"stripe_account": secretAccount, "meeting_url": secretRoom}, "09:00", "12:00", false, false},
		{"ben", "Ben Barnes", map[string]any{"subjects": []string{d.ids["mathematics"]}, "languages": []string{"en"},
			"hourly_rate": 5000, "rating_avg": 5, "rating_count": 1}, "10:00", "11:00", false, false},
		{"cleo", "Cleo Carter", map[string]any{"subjects": []string{d.ids["mathematics-stats"]}, "languages": []string{"it"},
			"hourly_rate": 2500}, "14:00", "18:00", false, false},
		{"dan", "Dan Dunn", map[string]any{"subjects": []string{d.ids["physics"]}, "languages": []string{"de"},
			"hourly_rate": 8000, "rating_avg": 4, "rating_count": 10}, "", "", false, false},
		{"eve", "Eve Early", map[string]any{"subjects": []string{d.ids["mathematics"]}, "languages": []string{"it"}, "hourly_rate": 1000}, "09:00", "18:00", true, false},
		{"fay", "Fay Frost", map[string]any{"subjects": []string{d.ids["mathematics"]}, "languages": []string{"it"}, "hourly_rate": 1000}, "09:00", "18:00", false, true},
	}
	for _, tu := range tutors {
		u, err := hookstest.CreateUser(d.app, tu.key+"@discovery.localhost", tu.name, platform.RoleTutor)
		require.NoError(t, err)
		r, err := d.app.FindFirstRecordByData("tutors", "user", u.Id)
		require.NoError(t, err)
		id := r.Id
		d.ids[tu.key] = id
		d.update(t, "tutors", id, tu.fields)
		if !tu.unlist {
			d.update(t, "tutors", id, map[string]any{"verified": true}) // verifying activates
		}
		for wd := 1; tu.start != "" && wd <= 7; wd++ {
			d.save(t, "availability", map[string]any{"tutor": id, "weekday": wd, "start": tu.start, "end": tu.end, "timezone": "Europe/Rome"})
		}
		if tu.stop {
			d.update(t, "tutors", id, map[string]any{"status": "suspended"})
		}
	}
}

// addPackages adds published packages (and a draft and one of an unlisted
// tutor), created a day apart, oldest first, and their sales.
func (d *directory) addPackages(t *testing.T) {
	t.Helper()
	pkgs := []struct {
		key, tutor, subject, title string
		price, discount            int
		status                     string
	}{
		{"maths_ten", "ada", "mathematics", "Maths ten", 30000, 10, "published"},             // 27000, sold 2
		{"physics_five", "ada", "physics", "Physics five", 15000, 0, "published"},            // 15000
		{"maths_intensive", "ben", "mathematics", "Maths intensive", 50000, 20, "published"}, // 40000, sold 3
		{"stats_basics", "cleo", "mathematics-stats", "Stats basics", 10000, 0, "published"}, // 10000, newest
		{"stats_draft", "cleo", "mathematics-stats", "Stats draft", 9000, 0, "draft"},
		{"eve_maths", "eve", "mathematics", "Hidden maths", 5000, 0, "published"},
	}
	base := time.Now().UTC().AddDate(0, 0, -30)
	for i, p := range pkgs {
		id := d.save(t, "packages", map[string]any{"tutor": d.ids[p.tutor], "subject": d.ids[p.subject], "title": p.title,
			"description": "About " + p.title, "lessons": 5, "minutes": 60, "price": p.price, "discount_percent": p.discount,
			"status": p.status, "valid_days": 90})
		d.ids[p.key] = id
		_, err := d.app.DB().Update("packages", dbx.Params{"created": base.AddDate(0, 0, i).Format("2006-01-02 15:04:05.000Z")},
			dbx.HashExp{"id": id}).Execute()
		require.NoError(t, err)
	}
	sales := []struct{ pkg, student, status string }{
		{"maths_intensive", hookstest.Student, "paid"}, {"maths_intensive", hookstest.Student2, "expired"},
		{"maths_intensive", hookstest.Student, "refunded"}, {"maths_intensive", hookstest.Student2, "pending"},
		{"maths_intensive", hookstest.Student2, "cancelled"},
		{"maths_ten", hookstest.Student, "paid"}, {"maths_ten", hookstest.Student2, "paid"},
		{"physics_five", hookstest.Student, "pending"}, {"eve_maths", hookstest.Student, "paid"},
	}
	for _, s := range sales {
		d.save(t, "purchases", map[string]any{"student": cast.Users[s.student], "package": d.ids[s.pkg],
			"amount": 1000, "currency": "EUR", "status": s.status, "provider": "manual"})
	}
}

// addBookings: all three students of Ada also booked Ben, one also Dan;
// Cleo's only booking was cancelled; Eve and Fay are not listed. Ben's
// only hour on day D is taken, and on D+5; Ada's first hour on D+1.
func (d *directory) addBookings(t *testing.T) {
	t.Helper()
	third, err := hookstest.CreateUser(d.app, "third@discovery.localhost", "Third Student", platform.RoleStudent)
	require.NoError(t, err)
	s1, s2, s3 := cast.Users[hookstest.Student], cast.Users[hookstest.Student2], third.Id
	lessons := []struct {
		tutor, student string
		days, hour     int
		status         string
	}{
		{"ada", s1, -5, 10, "completed"}, {"ben", s1, 3, 10, "confirmed"}, {"cleo", s1, -6, 15, "cancelled"},
		{"ada", s2, -5, 11, "completed"}, {"ben", s2, -4, 10, "completed"}, {"ada", s2, 4, 9, "confirmed"},
		{"ada", s3, -7, 10, "completed"}, {"dan", s3, -7, 12, "completed"}, {"fay", s3, 6, 10, "confirmed"}, {"ben", s3, 8, 10, "confirmed"},
		{"eve", s3, -8, 10, "completed"},
	}
	for _, l := range lessons {
		d.save(t, "bookings", map[string]any{"tutor": d.ids[l.tutor], "student": l.student,
			"start": romeTime(l.days, l.hour, 0), "end": romeTime(l.days, l.hour+1, 0), "status": l.status})
	}
}

// scenario is a GET on the shared discovery app.
func (d *directory) scenario(name, path string, status int, check func(t testing.TB, body []byte), contains ...string) tests.ApiScenario {
	return tests.ApiScenario{
		Name: name, Method: http.MethodGet, URL: path, ExpectedStatus: status, ExpectedContent: contains,
		NotExpectedContent:    privateBits,
		TestAppFactory:        func(testing.TB) *tests.TestApp { return d.app },
		DisableTestAppCleanup: true,
		AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
			if check != nil {
				var body json.RawMessage
				require.NoError(t, json.NewDecoder(res.Body).Decode(&body))
				check(t, body)
			}
		},
	}
}

// privateBits must never appear in a discovery answer.
var privateBits = []string{secretAccount, secretRoom, "stripe_account", "meeting_url", `"user"`, "email", "@discovery.localhost", "@test.localhost"}

func decodeAnswer[T any](t testing.TB, body []byte) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(body, &v))
	return v
}

// tutorNames checks a tutor list: its names in order and its totals.
func tutorNames(want []string, total int) func(testing.TB, []byte) {
	return func(t testing.TB, body []byte) {
		l := decodeAnswer[discovery.ListJSON[discovery.TutorJSON]](t, body)
		var got []string
		for _, it := range l.Items {
			got = append(got, it.Name)
		}
		require.Equal(t, want, got)
		require.Equal(t, total, l.TotalItems)
	}
}

func searchQuery(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v.Encode()
}

func utc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func TestSearchTutors(t *testing.T) {
	t.Parallel()
	d := newDiscovery(t)
	day, next, after := d.day, romeTime(4, 0, 0), romeTime(5, 0, 0)
	const path = "/api/search/tutors?"
	scenarios := []tests.ApiScenario{
		d.scenario("only verified active tutors, by relevance (Bayesian rating)", path, 200,
			tutorNames([]string{"Ada Lovelace", "Ben Barnes", "Dan Dunn", "Cleo Carter"}, 4), `"page":1`, `"perPage":20`, `"totalPages":1`),
		d.scenario("by subject id", path+searchQuery("subject", d.ids["mathematics"]), 200, tutorNames([]string{"Ada Lovelace", "Ben Barnes"}, 2)),
		d.scenario("by subject slug", path+searchQuery("subject", "physics", "sort", "name"), 200, tutorNames([]string{"Ada Lovelace", "Dan Dunn"}, 2)),
		d.scenario("a subject nobody teaches", path+searchQuery("subject", "chemistry"), 200, tutorNames(nil, 0), `"items":[]`),
		d.scenario("by price range, bounds included", path+searchQuery("min_price", "3000", "max_price", "5000", "sort", "price"), 200,
			tutorNames([]string{"Ada Lovelace", "Ben Barnes"}, 2)),
		d.scenario("by language", path+searchQuery("language", "it"), 200, tutorNames([]string{"Ada Lovelace", "Cleo Carter"}, 2)),
		d.scenario("by minimum rating", path+searchQuery("min_rating", "4.5"), 200, tutorNames([]string{"Ada Lovelace", "Ben Barnes"}, 2)),
		d.scenario("filters combine", path+searchQuery("subject", "mathematics", "language", "en", "max_price", "4000"), 200, tutorNames([]string{"Ada Lovelace"}, 1)),
		d.scenario("sort by price", path+searchQuery("sort", "price"), 200, tutorNames([]string{"Cleo Carter", "Ada Lovelace", "Ben Barnes", "Dan Dunn"}, 4)),
		d.scenario("sort by price, dearest first", path+searchQuery("sort", "-price"), 200, tutorNames([]string{"Dan Dunn", "Ben Barnes", "Ada Lovelace", "Cleo Carter"}, 4)),
		d.scenario("sort by plain rating", path+searchQuery("sort", "rating"), 200, tutorNames([]string{"Ben Barnes", "Ada Lovelace", "Dan Dunn", "Cleo Carter"}, 4)),
		d.scenario("sort by name", path+searchQuery("sort", "name"), 200, tutorNames([]string{"Ada Lovelace", "Ben Barnes", "Cleo Carter", "Dan Dunn"}, 4)),
		d.scenario("page 2", path+searchQuery("sort", "name", "perPage", "3", "page", "2"), 200, tutorNames([]string{"Dan Dunn"}, 4), `"page":2`, `"perPage":3`, `"totalPages":2`),
		d.scenario("a page past the end is empty", path+searchQuery("page", "9"), 200, tutorNames(nil, 4), `"items":[]`),
		d.scenario("public fields only", path+searchQuery("subject", "physics", "sort", "name", "perPage", "1"), 200, func(t testing.TB, body []byte) {
			ada := decodeAnswer[discovery.ListJSON[discovery.TutorJSON]](t, body).Items[0]
			require.Equal(t, discovery.TutorJSON{
				TutorSummary: discovery.TutorSummary{Id: d.ids["ada"], Name: "Ada Lovelace", Headline: "Numbers are friends",
					Subjects: types.JSONArray[string]{d.ids["mathematics"], d.ids["physics"]}, Languages: types.JSONArray[string]{"it", "en"},
					HourlyRate: 3000, Currency: "EUR", RatingAvg: 4.8, RatingCount: 50},
				Bio: "Twenty years of maths.", Timezone: "Europe/Rome", LessonMinutes: types.JSONArray[int]{30, 45, 60, 90, 120}}, ada)
		}),
		d.scenario("free time: a booked-out tutor is left out", path+searchQuery("subject", "mathematics", "free_from", utc3339(day), "free_to", utc3339(next)), 200,
			func(t testing.TB, body []byte) {
				l := decodeAnswer[discovery.ListJSON[discovery.TutorJSON]](t, body)
				require.Equal(t, 1, l.TotalItems, "Ben's only hour on D is booked")
				require.Equal(t, "Ada Lovelace", l.Items[0].Name)
				require.Equal(t, 5, *l.Items[0].FreeSlots, "09:00 to 11:00, every half hour")
				require.Equal(t, utc3339(romeTime(3, 9, 0)), l.Items[0].NextFree)
			}),
		d.scenario("free time: the next day Ben is free", path+searchQuery("subject", "mathematics", "free_from", utc3339(next), "free_to", utc3339(after), "sort", "price"), 200,
			tutorNames([]string{"Ada Lovelace", "Ben Barnes"}, 2), `"free_slots":1,"next_free":"`+utc3339(romeTime(4, 10, 0))+`"`),
		d.scenario("free time: later bookings count for a tutor free on the first day", path+searchQuery("subject", "physics", "free_from", utc3339(day), "free_to", utc3339(after)), 200,
			tutorNames([]string{"Ada Lovelace"}, 1), `"free_slots":8,"next_free":"`+utc3339(romeTime(3, 9, 0))+`"`), // 5 on D, 3 on D+1
		d.scenario("free time: no availability, no listing", path+searchQuery("free_from", utc3339(day), "free_to", utc3339(after), "sort", "name"), 200,
			tutorNames([]string{"Ada Lovelace", "Ben Barnes", "Cleo Carter"}, 3)),
		d.scenario("free time for longer lessons", path+searchQuery("free_from", utc3339(day), "free_to", utc3339(next), "minutes", "120", "sort", "name"), 200,
			tutorNames([]string{"Ada Lovelace", "Cleo Carter"}, 2), `"free_slots":3,"next_free":"`+utc3339(romeTime(3, 9, 0))+`"`),
		d.scenario("free time, paginated after the filter", path+searchQuery("free_from", utc3339(day), "free_to", utc3339(after), "sort", "name", "perPage", "2", "page", "2"), 200,
			tutorNames([]string{"Cleo Carter"}, 3), `"totalPages":2`),
		d.scenario("a window in the past has no free time", path+searchQuery("free_from", utc3339(romeTime(-3, 0, 0)), "free_to", utc3339(romeTime(-2, 0, 0))), 200, tutorNames(nil, 0)),
		d.scenario("no free-time fields without a window", path, 200, func(t testing.TB, body []byte) {
			require.NotContains(t, string(body), "free_slots")
			require.NotContains(t, string(body), "next_free")
		}),
	}
	for _, s := range scenarios {
		s.Test(t)
	}
}

func TestSearchTutorsBadInput(t *testing.T) {
	t.Parallel()
	d := newDiscovery(t)
	day := utc3339(d.day)
	const path = "/api/search/tutors?"
	bad := func(name, query string, fieldCodes ...string) tests.ApiScenario {
		return d.scenario(name, path+query, 400, nil, append([]string{`"status":400`}, fieldCodes...)...)
	}
	for _, s := range []tests.ApiScenario{
		bad("an unparseable date", searchQuery("free_from", "tomorrow", "free_to", day), `"free_from":{"code":"validation_invalid_date"`),
		bad("half a window", searchQuery("free_from", day), `"free_to":{"code":"validation_required"`),
		bad("from after to", searchQuery("free_from", utc3339(d.day.Add(time.Hour)), "free_to", day), `"free_to":{"code":"invalid_range"`),
		bad("from equal to to", searchQuery("free_from", day, "free_to", day), `"free_to":{"code":"invalid_range"`),
		bad("a window over 14 days", searchQuery("free_from", day, "free_to", utc3339(d.day.AddDate(0, 0, 15))), `"free_to":{"code":"range_too_long"`),
		bad("a negative price", searchQuery("min_price", "-1"), `"min_price":{"code":"validation_invalid_price"`),
		bad("a price that is not a number", searchQuery("max_price", "cheap"), `"max_price":{"code":"validation_invalid_price"`),
		bad("min above max", searchQuery("min_price", "5000", "max_price", "1000"), `"max_price":{"code":"invalid_range"`),
		bad("a rating above 5", searchQuery("min_rating", "5.5"), `"min_rating":{"code":"validation_invalid_rating"`),
		bad("a negative rating", searchQuery("min_rating", "-1"), `"min_rating":{"code":"validation_invalid_rating"`),
		bad("NaN rating", searchQuery("min_rating", "NaN"), `"min_rating":{"code":"validation_invalid_rating"`),
		bad("an unknown sort", searchQuery("sort", "popular"), `"sort":{"code":"validation_invalid_value"`),
		bad("perPage over 100", searchQuery("perPage", "101"), `"perPage":{"code":"validation_invalid_number"`),
		bad("page 0", searchQuery("page", "0"), `"page":{"code":"validation_invalid_number"`),
		bad("an unknown subject", searchQuery("subject", "alchemy"), `"subject":{"code":"unknown_subject"`),
		bad("an unknown language", searchQuery("language", "xx"), `"language":{"code":"validation_invalid_language"`),
		bad("a lesson of 5 minutes", searchQuery("minutes", "5"), `"minutes":{"code":"validation_invalid_number"`),
		bad("every problem at once", searchQuery("min_price", "-1", "sort", "x", "perPage", "0", "subject", "alchemy", "free_from", "x", "free_to", "y"),
			`"min_price":`, `"sort":`, `"perPage":`, `"subject":`, `"free_from":`, `"free_to":`),
	} {
		s.Test(t)
	}
}

func TestSearchPackages(t *testing.T) {
	t.Parallel()
	d := newDiscovery(t)
	const path = "/api/search/packages?"
	titles := func(want []string, total int) func(testing.TB, []byte) {
		return func(t testing.TB, body []byte) {
			l := decodeAnswer[discovery.ListJSON[discovery.PackageJSON]](t, body)
			var got []string
			for _, it := range l.Items {
				got = append(got, it.Title)
			}
			require.Equal(t, want, got)
			require.Equal(t, total, l.TotalItems)
		}
	}
	all := []string{"Stats basics", "Maths intensive", "Physics five", "Maths ten"} // newest first
	for _, s := range []tests.ApiScenario{
		d.scenario("published packages of listed tutors, newest first", path, 200, titles(all, 4)),
		d.scenario("by subject", path+searchQuery("subject", "mathematics", "sort", "price"), 200, titles([]string{"Maths ten", "Maths intensive"}, 2)),
		d.scenario("by effective price", path+searchQuery("min_price", "15000", "max_price", "27000", "sort", "price"), 200, titles([]string{"Physics five", "Maths ten"}, 2)),
		d.scenario("by the tutor's language", path+searchQuery("language", "en", "sort", "price"), 200, titles([]string{"Physics five", "Maths ten", "Maths intensive"}, 3)),
		d.scenario("by the tutor's rating", path+searchQuery("min_rating", "4.9"), 200, titles([]string{"Maths intensive"}, 1)),
		d.scenario("by tutor", path+searchQuery("tutor", d.ids["ada"], "sort", "-price"), 200, titles([]string{"Maths ten", "Physics five"}, 2)),
		d.scenario("sort by price", path+searchQuery("sort", "price"), 200, titles([]string{"Stats basics", "Physics five", "Maths ten", "Maths intensive"}, 4)),
		d.scenario("sort by discount", path+searchQuery("sort", "discount"), 200, titles([]string{"Maths intensive", "Maths ten", "Stats basics", "Physics five"}, 4)),
		d.scenario("sort by sales, then newest", path+searchQuery("sort", "popular"), 200, titles([]string{"Maths intensive", "Maths ten", "Stats basics", "Physics five"}, 4)),
		d.scenario("page 2", path+searchQuery("sort", "price", "perPage", "1", "page", "2"), 200, titles([]string{"Physics five"}, 4), `"totalPages":4`),
		d.scenario("each package carries its tutor's card", path+searchQuery("tutor", d.ids["ben"]), 200, func(t testing.TB, body []byte) {
			p := decodeAnswer[discovery.ListJSON[discovery.PackageJSON]](t, body).Items[0]
			require.Equal(t, d.ids["ben"], p.Tutor)
			require.Equal(t, d.ids["mathematics"], p.Subject)
			require.Equal(t, "Mathematics", p.SubjectName)
			require.Equal(t, int64(50000), p.Price)
			require.Equal(t, int64(40000), p.EffectivePrice)
			require.Equal(t, 20, p.DiscountPercent)
			require.Nil(t, p.Sold, "sales are shown by the popular route only")
			require.Equal(t, discovery.TutorSummary{Id: d.ids["ben"], Name: "Ben Barnes", Subjects: types.JSONArray[string]{d.ids["mathematics"]},
				Languages: types.JSONArray[string]{"en"}, HourlyRate: 5000, Currency: "EUR", RatingAvg: 5, RatingCount: 1}, p.TutorSummary)
		}),
	} {
		s.Test(t)
	}
	for _, s := range []tests.ApiScenario{
		d.scenario("an unknown sort", path+searchQuery("sort", "relevance"), 400, nil, `"sort":{"code":"validation_invalid_value"`),
		d.scenario("an unknown tutor", path+searchQuery("tutor", "nosuchtutor1234"), 400, nil, `"tutor":{"code":"unknown_tutor"`),
		d.scenario("an unlisted tutor looks unknown", path+searchQuery("tutor", d.ids["eve"]), 400, nil, `"tutor":{"code":"unknown_tutor"`),
		d.scenario("bad prices and page size", path+searchQuery("min_price", "x", "max_price", "-3", "perPage", "500"), 400, nil,
			`"min_price":{"code":"validation_invalid_price"`, `"max_price":{"code":"validation_invalid_price"`, `"perPage":`),
		d.scenario("an unknown subject", path+searchQuery("subject", "alchemy"), 400, nil, `"subject":{"code":"unknown_subject"`),
	} {
		s.Test(t)
	}
}

// TestSearchRoutesArePublic: a signed-in user sees the same directory as
// a visitor.
func TestSearchRoutesArePublic(t *testing.T) {
	t.Parallel()
	d := newDiscovery(t)
	srv := hookstest.Serve(t, d.app)
	for _, path := range []string{"/api/search/tutors?sort=name", "/api/search/packages"} {
		visitor := hookstest.Call(t, srv, http.MethodGet, path, "", nil)
		student := hookstest.Call(t, srv, http.MethodGet, path, cast.Tokens[hookstest.Student], nil)
		require.Equal(t, 200, visitor.Status, string(visitor.Body))
		require.JSONEq(t, string(visitor.Body), string(student.Body))
		for _, bit := range privateBits {
			require.NotContains(t, string(student.Body), bit)
		}
	}
}

// TestSearchFreeTimeAgreesWithSlots: the free-time search loads calendars
// in bulk; a tutor it lists has exactly the slots the tutor's own slots
// route lists, starting at next_free, and one it leaves out has none.
func TestSearchFreeTimeAgreesWithSlots(t *testing.T) {
	t.Parallel()
	d := newDiscovery(t)
	srv := hookstest.Serve(t, d.app)
	for _, w := range []struct{ from, to time.Time }{
		{d.day, romeTime(4, 0, 0)}, {d.day, romeTime(6, 0, 0)}, {romeTime(3, 10, 30), romeTime(4, 10, 30)},
		{d.day, romeTime(10, 0, 0)}, {romeTime(3, 11, 0), d.day.Add(discovery.MaxFreeWindow)}, {romeTime(3, 10, 0), romeTime(3, 11, 0)},
	} {
		res := hookstest.Call(t, srv, http.MethodGet, "/api/search/tutors?"+searchQuery("free_from", utc3339(w.from), "free_to", utc3339(w.to)), "", nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		listed := map[string]discovery.TutorJSON{}
		for _, it := range decodeAnswer[discovery.ListJSON[discovery.TutorJSON]](t, res.Body).Items {
			listed[it.Id] = it
		}
		for _, name := range []string{"ada", "ben", "cleo", "dan"} {
			res := hookstest.Call(t, srv, http.MethodGet, "/api/tutors/"+d.ids[name]+"/slots?"+
				searchQuery("from", utc3339(w.from), "to", utc3339(w.to), "minutes", "60"), "", nil)
			require.Equal(t, 200, res.Status, string(res.Body))
			slots := decodeAnswer[booking.SlotsJSON](t, res.Body).Slots
			it, ok := listed[d.ids[name]]
			require.Equal(t, len(slots) > 0, ok, "%s in %v: %d slots", name, w, len(slots))
			if ok {
				require.Equal(t, len(slots), *it.FreeSlots, name)
				require.Equal(t, slots[0].Start, it.NextFree, name)
			}
		}
	}
}

// TestSearchSeesAvailabilityChanges: weekly windows are cached between
// searches; a new, changed or deleted window shows at once.
func TestSearchSeesAvailabilityChanges(t *testing.T) {
	t.Parallel()
	d := newDiscovery(t)
	srv := hookstest.Serve(t, d.app)
	path := "/api/search/tutors?" + searchQuery("subject", "physics", "sort", "name",
		"free_from", utc3339(d.day), "free_to", utc3339(romeTime(4, 0, 0)))
	names := func() []string {
		res := hookstest.Call(t, srv, http.MethodGet, path, "", nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		var out []string
		for _, it := range decodeAnswer[discovery.ListJSON[discovery.TutorJSON]](t, res.Body).Items {
			out = append(out, it.Name)
		}
		return out
	}
	require.Equal(t, []string{"Ada Lovelace"}, names(), "Dan has no availability")
	window := d.save(t, "availability", map[string]any{"tutor": d.ids["dan"], "weekday": isoDay(d.day), "start": "07:00", "end": "08:00", "timezone": "Europe/Rome"})
	require.Equal(t, []string{"Ada Lovelace", "Dan Dunn"}, names(), "a new window")
	d.update(t, "availability", window, map[string]any{"weekday": isoDay(romeTime(4, 0, 0))})
	require.Equal(t, []string{"Ada Lovelace"}, names(), "the window moved to the next day")
	d.update(t, "availability", window, map[string]any{"weekday": isoDay(d.day)})
	require.Equal(t, []string{"Ada Lovelace", "Dan Dunn"}, names(), "and back")
	r, err := d.app.FindRecordById("availability", window)
	require.NoError(t, err)
	require.NoError(t, d.app.Delete(r))
	require.Equal(t, []string{"Ada Lovelace"}, names(), "deleted")
}
