package hooks_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"tutorbase/hooks"
	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// The discovery benchmarks measure the search and match routes on a
// school of benchTutors verified, active tutors and ten packages each,
// through the real router (every middleware) in process, and report the
// p50 and p95 latency of the b.N requests. The target (DESIGN.md,
// docs/discovery.md) is p95 ≤ 20 ms for a search on the 2-core machine.
//
//	go test ./hooks/ -run '^$' -bench 'Search|Match' -benchtime 300x

const (
	benchTutors   = 1000
	benchPackages = 10 // per tutor
	benchStudents = 300
	benchBookings = 6 // per tutor, over the next two weeks
)

var benchSubjects = []string{"mathematics", "mathematics-advanced", "physics", "chemistry", "biology", "english",
	"italian", "spanish", "history", "computer-science", "music", "economics"}

var benchZones = []string{"Europe/Rome", "Europe/London", "America/New_York", "Asia/Kolkata"}

var benchLanguages = [][]string{{"it", "en"}, {"en"}, {"es", "en"}, {"fr"}, {"de", "en"}, {"it"}, {"hi", "en"}, {"pt", "es"}}

// benchWorld is the seeded app and its router, built once per process.
type benchWorld struct {
	app     core.App
	handler http.Handler
	day     time.Time // the first local midnight (Rome) after tomorrow
	err     error
}

var (
	discoveryBenchOnce sync.Once
	discoveryBench     benchWorld
)

// discoveryWorld builds the benchmark school the first time it is asked
// for. Its data dir lives inside the cast's, so TestMain's cast.Close
// removes it at the end of the run.
func discoveryWorld(b *testing.B) *benchWorld {
	b.Helper()
	discoveryBenchOnce.Do(func() {
		start := time.Now()
		discoveryBench.err = discoveryBench.build(filepath.Join(cast.Dir, "bench_discovery"), 2, seedBench)
		b.Logf("seeded %d tutors, %d packages in %v, with the indexes of docs/discovery.md", benchTutors, benchTutors*benchPackages,
			time.Since(start).Round(time.Millisecond))
	})
	if discoveryBench.err != nil {
		b.Fatal(discoveryBench.err)
	}
	return &discoveryBench
}

// build makes w a school in dir: the migrations and Tutorbase's hooks, the
// rows seed writes (in one transaction) for the day at offset days from
// today in Rome, the planner statistics that PocketBase's daily
// __pbDBOptimize__ job keeps up to date, and the router.
func (w *benchWorld) build(dir string, offset int, seed func(tx core.App, day time.Time) error) error {
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dir, EncryptionEnv: "pb_test_env"})
	if err := app.Bootstrap(); err != nil {
		return err
	}
	if err := app.RunAllMigrations(); err != nil {
		return err
	}
	if _, err := hooks.Register(app, hookstest.Env(hookstest.Config)); err != nil {
		return err
	}
	hookstest.NoRateLimits(app) // one client asks thousands of times
	w.app = app
	now := time.Now().In(benchZone("Europe/Rome"))
	w.day = time.Date(now.Year(), now.Month(), now.Day()+offset, 0, 0, 0, 0, now.Location())
	if err := app.RunInTransaction(func(tx core.App) error { return seed(tx, w.day) }); err != nil {
		return fmt.Errorf("seeding: %w", err)
	}
	if _, err := app.NonconcurrentDB().NewQuery("PRAGMA optimize").Execute(); err != nil {
		return fmt.Errorf("optimize: %w", err)
	}
	router, err := apis.NewRouter(app)
	if err != nil {
		return err
	}
	return app.OnServe().Trigger(&core.ServeEvent{App: app, Router: router}, func(e *core.ServeEvent) error {
		mux, err := e.Router.BuildMux()
		w.handler = mux
		return err
	})
}

func benchZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// benchId is a valid, unique record id: a two-letter prefix and 13 digits.
func benchId(prefix string, n int) string { return fmt.Sprintf("%s%013d", prefix, n) }

func benchTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000Z") }

// seedBench writes the school with raw inserts (the hooks have nothing to
// check in data built to be valid; the overlap triggers still run).
func seedBench(tx core.App, day time.Time) error {
	insert := func(table string, row dbx.Params) error {
		_, err := tx.DB().Insert(table, row).Execute()
		return err
	}
	stamp := benchTime(time.Now())
	for i, slug := range benchSubjects {
		if err := insert("subjects", dbx.Params{"id": benchId("sj", i), "slug": slug, "name": slug, "created": stamp, "updated": stamp}); err != nil {
			return err
		}
	}
	user := func(prefix string, i int, role string) error {
		id := benchId(prefix, i)
		return insert("users", dbx.Params{"id": id, "email": id + "@bench.localhost", "tokenKey": "tk" + id, "verified": true,
			"password": "$2a$10$benchbenchbenchbenchbeOq1Nf8M1j8l1x7h3ZP1gqZV6u5iJvS", "name": "Person " + id, "role": role,
			"timezone": "Europe/Rome", "created": stamp, "updated": stamp})
	}
	for i := range benchStudents {
		if err := user("us", i, platform.RoleStudent); err != nil {
			return err
		}
	}
	for i := range benchTutors {
		if err := seedBenchTutor(insert, user, i, day, stamp); err != nil {
			return fmt.Errorf("tutor %d: %w", i, err)
		}
	}
	return nil
}

func seedBenchTutor(insert func(string, dbx.Params) error, user func(string, int, string) error, i int, day time.Time, stamp string) error {
	if err := user("ut", i, platform.RoleTutor); err != nil {
		return err
	}
	id, uid, zone := benchId("tt", i), benchId("ut", i), benchZones[i%len(benchZones)]
	subjects := []string{benchId("sj", i%len(benchSubjects)), benchId("sj", (i*7+3)%len(benchSubjects))}
	langs := benchLanguages[i%len(benchLanguages)]
	err := insert("tutors", dbx.Params{"id": id, "user": uid, "name": fmt.Sprintf("Tutor %04d", (i*7919)%10000), "timezone": zone,
		"headline": "Patient and precise", "bio": "I have taught for many years and love it. " + id,
		"subjects": benchJSONList(subjects), "languages": benchJSONList(langs), "hourly_rate": 1500 + (i*37)%75*100, "currency": "EUR",
		"verified": true, "status": "active", "lesson_minutes": "[30,45,60,90,120]", "buffer_minutes": (i % 3) * 10,
		"min_notice_minutes": 120, "max_advance_days": 90, "auto_confirm": true,
		"rating_avg": float64(30+(i*13)%21) / 10, "rating_count": (i * 17) % 80, "created": stamp, "updated": stamp})
	if err != nil {
		return err
	}
	// two to five weekly windows, mornings or afternoons, in the tutor's zone
	for k := range 2 + i%4 {
		start, end := "09:00", "13:00"
		if (i+k)%2 == 1 {
			start, end = "14:00", "19:00"
		}
		err := insert("availability", dbx.Params{"id": benchId("av", i*10+k), "tutor": id, "tutor_user": uid,
			"weekday": 1 + (i+k*2)%7, "start": start, "end": end, "timezone": zone, "created": stamp, "updated": stamp})
		if err != nil {
			return err
		}
	}
	if i%10 == 0 { // a few days off
		err := insert("time_off", dbx.Params{"id": benchId("to", i), "tutor": id, "tutor_user": uid,
			"start": benchTime(day.AddDate(0, 0, i%5)), "end": benchTime(day.AddDate(0, 0, i%5+2)), "created": stamp, "updated": stamp})
		if err != nil {
			return err
		}
	}
	for k := range benchPackages {
		if err := insert("packages", benchPackage(i, k, id, uid, subjects[k%2], stamp)); err != nil {
			return err
		}
	}
	return seedBenchBookings(insert, i, id, uid, day, stamp)
}

func benchPackage(i, k int, tutor, tutorUser, subject, stamp string) dbx.Params {
	n := i*benchPackages + k
	status := "published"
	if k == 8 {
		status = "draft"
	} else if k == 9 {
		status = "archived"
	}
	price, discount := 5000+(n*7919)%60*1000, (n%4)*5
	created := benchTime(time.Now().AddDate(0, 0, -(n*31)%365))
	return dbx.Params{"id": benchId("pk", n), "tutor": tutor, "tutor_user": tutorUser, "subject": subject,
		"title": fmt.Sprintf("Package %d", n), "description": "Lessons that add up.", "lessons": 5 + k, "minutes": 60,
		"price": price, "effective_price": price * (100 - discount) / 100, "discount_percent": discount, "currency": "EUR",
		"status": status, "valid_days": 90, "created": created, "updated": stamp}
}

// seedBenchBookings books each tutor benchBookings times over the next two
// weeks and sells some packages. Booking n goes to student n mod
// benchStudents, at 15-hour steps per student plus an hour per booking of
// the tutor, so no tutor and no student ever has two overlapping lessons.
func seedBenchBookings(insert func(string, dbx.Params) error, i int, tutor, tutorUser string, day time.Time, stamp string) error {
	for j := range benchBookings {
		n := i*benchBookings + j
		start := day.Add(time.Duration(n/benchStudents)*15*time.Hour + time.Duration(j)*time.Hour)
		err := insert("bookings", dbx.Params{"id": benchId("bk", n), "tutor": tutor, "tutor_user": tutorUser,
			"student": benchId("us", n%benchStudents), "start": benchTime(start), "end": benchTime(start.Add(time.Hour)),
			"status": "confirmed", "price": 3000, "currency": "EUR", "payment_status": "unpaid", "created": stamp, "updated": stamp})
		if err != nil {
			return err
		}
	}
	for k := range i % 6 { // sales of the first packages
		n := i*benchPackages + k
		err := insert("purchases", dbx.Params{"id": benchId("pu", n), "student": benchId("us", n%benchStudents),
			"package": benchId("pk", n), "tutor": tutor, "amount": 10000, "currency": "EUR",
			"status": []string{"paid", "expired", "refunded", "pending", "cancelled"}[n%5], "provider": "manual",
			"created": stamp, "updated": stamp})
		if err != nil {
			return err
		}
	}
	return nil
}

func benchJSONList(v []string) string {
	s := "["
	for i, x := range v {
		if i > 0 {
			s += ","
		}
		s += `"` + x + `"`
	}
	return s + "]"
}

// benchRoute issues b.N GETs through the router, cycling through paths,
// and reports the latency percentiles. Every answer must be a 200.
func benchRoute(b *testing.B, paths []string) { benchRouteOn(b, discoveryWorld(b).handler, paths) }

// benchRouteOn is benchRoute on another app's router.
func benchRouteOn(b *testing.B, handler http.Handler, paths []string) {
	for _, p := range paths { // warm up, and fail fast on a broken query
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s = %d: %s", p, rec.Code, rec.Body.String())
		}
	}
	lat := make([]time.Duration, 0, b.N)
	cpu := processCPU()
	b.ResetTimer()
	for i := range b.N {
		req := httptest.NewRequest(http.MethodGet, paths[i%len(paths)], nil)
		rec := httptest.NewRecorder()
		t0 := time.Now()
		handler.ServeHTTP(rec, req)
		lat = append(lat, time.Since(t0))
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s = %d: %s", req.URL, rec.Code, rec.Body.String())
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(processCPU()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// processCPU is the CPU time this process has used (user and system):
// per request, it hardly depends on what else shares the machine, unlike
// latency.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchQueries builds n query strings, the i-th from vary(i).
func benchQueries(path string, n int, vary func(i int) url.Values) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = path + "?" + vary(i).Encode()
	}
	return out
}

func benchSubject(i int) string { return benchSubjects[i%len(benchSubjects)] }

// BenchmarkSearchTutors: plain filters (subject, price, language, rating),
// every sort, the first pages; a third of them without a subject.
func BenchmarkSearchTutors(b *testing.B) {
	sorts := []string{"relevance", "rating", "price", "-price", "name"}
	benchRoute(b, benchQueries("/api/search/tutors", 60, func(i int) url.Values {
		v := url.Values{"sort": {sorts[i%len(sorts)]}, "page": {fmt.Sprint(1 + i%3)}, "max_price": {"6000"}}
		if i%3 != 0 {
			v.Set("subject", benchSubject(i))
		}
		if i%2 == 0 {
			v.Set("language", "en")
			v.Set("min_rating", "3.5")
		}
		return v
	}))
}

// BenchmarkSearchTutorsFree: a subject and "free for an hour in this
// window" (one day to a week), which runs the slot engine for every
// candidate.
func BenchmarkSearchTutorsFree(b *testing.B) {
	day := discoveryWorld(b).day
	benchRoute(b, benchQueries("/api/search/tutors", 60, func(i int) url.Values {
		from := day.AddDate(0, 0, i%7).Add(time.Duration(i%3) * 6 * time.Hour)
		return url.Values{"subject": {benchSubject(i)}, "free_from": {from.Format(time.RFC3339)},
			"free_to": {from.AddDate(0, 0, 1+i%7).Format(time.RFC3339)}, "sort": {"relevance"}}
	}))
}

// BenchmarkSearchTutorsFreeAnySubject is the worst case of the free-time
// search: every listed tutor is a candidate, over a week.
func BenchmarkSearchTutorsFreeAnySubject(b *testing.B) {
	day := discoveryWorld(b).day
	benchRoute(b, benchQueries("/api/search/tutors", 14, func(i int) url.Values {
		from := day.AddDate(0, 0, i%7)
		return url.Values{"free_from": {from.Format(time.RFC3339)}, "free_to": {from.AddDate(0, 0, 7).Format(time.RFC3339)}}
	}))
}

// BenchmarkSearchPackages: every sort, with and without a subject, price
// bounds and the tutor's language.
func BenchmarkSearchPackages(b *testing.B) {
	sorts := []string{"newest", "price", "-price", "discount", "popular"}
	benchRoute(b, benchQueries("/api/search/packages", 60, func(i int) url.Values {
		v := url.Values{"sort": {sorts[i%len(sorts)]}, "page": {fmt.Sprint(1 + i%2)}}
		if i%3 != 0 {
			v.Set("subject", benchSubject(i))
		}
		if i%2 == 0 {
			v.Set("min_price", "10000")
			v.Set("max_price", "40000")
		}
		if i%4 == 1 {
			v.Set("language", "en")
		}
		return v
	}))
}

// BenchmarkMatch: a subject, a window of one to three days, a budget and
// a language, ranked with the free minutes of every candidate.
func BenchmarkMatch(b *testing.B) {
	day := discoveryWorld(b).day
	benchRoute(b, benchQueries("/api/match", 60, func(i int) url.Values {
		from := day.AddDate(0, 0, i%7)
		return url.Values{"subject": {benchSubject(i)}, "from": {from.Format(time.RFC3339)},
			"to": {from.AddDate(0, 0, 1+i%3).Format(time.RFC3339)}, "max_price": {"7000"}, "language": {"en"}}
	}))
}
