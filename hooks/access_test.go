package hooks_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/pocketbase/tests"
)

// The role × action table: for every collection, what each role gets when
// it lists, views, creates, updates and deletes. Statuses are in the order
// of hookstest.Roles: visitor, student, other student, tutor, other tutor,
// admin, superuser. In the list row a number is how many fixture records
// the role sees and forbidden (-1) a 403.
//
// PocketBase answers a failed view, update or delete rule with 404 (the
// record does not exist for you), a failed create rule with 400 and a
// superusers-only (nil) rule with 403.

const forbidden = -1

type row [7]int

type accessCase struct {
	collection string
	list       row
	view       string // fixture name of the record to view, update and delete
	viewWant   row
	create     func(role string) any // JSON body (or a *multipart body, see multipartBody)
	createWant row
	update     any
	updateWant row
	del        string // fixture name of the record to delete ("" = the view one)
	deleteWant row
}

var users = func(role string) string { return cast.Users[role] }

func accessCases() []accessCase {
	future := time.Now().UTC().Add(40 * 24 * time.Hour).Truncate(time.Hour)
	return append([]accessCase{
		{
			collection: "users",
			list:       row{0, 1, 1, 1, 1, 6, 6},
			view:       "@student", viewWant: row{404, 200, 404, 404, 404, 200, 200},
			create: func(role string) any {
				return map[string]any{"email": "made-by-" + role + "@test.localhost", "password": goodPassword, "passwordConfirm": goodPassword}
			},
			createWant: row{200, 200, 200, 200, 200, 200, 200},
			update:     map[string]any{"name": "Renamed"}, updateWant: row{404, 200, 404, 404, 404, 200, 200},
			del: "@student2", deleteWant: row{404, 404, 404, 404, 404, 204, 204},
		},
		{
			collection: "school",
			list:       row{1, 1, 1, 1, 1, 1, 1},
			view:       "@school", viewWant: row{200, 200, 200, 200, 200, 200, 200},
			create: func(string) any {
				return map[string]any{"name": "Second", "timezone": "Europe/Rome", "locale": "en", "currency": "EUR", "slot_step_minutes": 30}
			},
			createWant: row{403, 403, 403, 403, 403, 403, 400},
			update:     map[string]any{"name": "Renamed School"}, updateWant: row{404, 404, 404, 404, 404, 200, 200},
			deleteWant: row{403, 403, 403, 403, 403, 403, 400},
		},
		{
			collection: "subjects",
			list:       row{1, 1, 1, 1, 1, 1, 1},
			view:       "subject", viewWant: row{200, 200, 200, 200, 200, 200, 200},
			create:     func(string) any { return map[string]any{"name": "Physics", "slug": "physics"} },
			createWant: row{400, 400, 400, 400, 400, 200, 200},
			update:     map[string]any{"name": "Maths"}, updateWant: row{404, 404, 404, 404, 404, 200, 200},
			deleteWant: row{404, 404, 404, 404, 404, 204, 204},
		},
		{
			collection: "tutors",
			list:       row{2, 2, 2, 2, 2, 3, 3},
			view:       "@tutor_pending", viewWant: row{404, 404, 404, 404, 404, 200, 200},
			create:     func(string) any { return map[string]any{"user": users(hookstest.Admin), "status": "pending"} },
			createWant: row{400, 400, 400, 400, 400, 200, 200},
			update:     map[string]any{"headline": "New headline"}, updateWant: row{404, 404, 404, 404, 404, 200, 200},
			deleteWant: row{404, 404, 404, 404, 404, 204, 204},
		},
		{
			collection: "students",
			list:       row{0, 1, 1, 0, 0, 2, 2},
			view:       "@student_profile", viewWant: row{404, 200, 404, 404, 404, 200, 200},
			create:     func(string) any { return map[string]any{"user": users(hookstest.Admin)} },
			createWant: row{400, 400, 400, 400, 400, 200, 200},
			update:     map[string]any{"level": "B2"}, updateWant: row{404, 200, 404, 404, 404, 200, 200},
			deleteWant: row{404, 404, 404, 404, 404, 204, 204},
		},
		{
			collection: "availability",
			list:       row{0, 0, 0, 1, 7, 8, 8},
			view:       "availability", viewWant: row{404, 404, 404, 200, 404, 200, 200},
			create: func(string) any {
				return map[string]any{"tutor": cast.Tutors[hookstest.Tutor], "weekday": 2, "start": "09:00", "end": "12:00"}
			},
			createWant: row{400, 400, 400, 200, 400, 200, 200},
			update:     map[string]any{"end": "18:00"}, updateWant: row{404, 404, 404, 200, 404, 200, 200},
			deleteWant: row{404, 404, 404, 204, 404, 204, 204},
		},
		{
			collection: "time_off",
			list:       row{0, 0, 0, 1, 0, 1, 1},
			view:       "time_off", viewWant: row{404, 404, 404, 200, 404, 200, 200},
			create: func(string) any {
				return map[string]any{"tutor": cast.Tutors[hookstest.Tutor], "start": future, "end": future.Add(24 * time.Hour)}
			},
			createWant: row{400, 400, 400, 200, 400, 200, 200},
			update:     map[string]any{"reason": "Conference"}, updateWant: row{404, 404, 404, 200, 404, 200, 200},
			deleteWant: row{404, 404, 404, 204, 404, 204, 204},
		},
		{
			collection: "calendar_feeds",
			list:       row{0, 0, 0, 1, 0, 1, 1},
			view:       "calendar_feed", viewWant: row{404, 404, 404, 200, 404, 200, 200},
			create: func(role string) any {
				return map[string]any{"tutor": cast.Tutors[hookstest.Tutor], "url": "https://calendar.example.org/by-" + role + ".ics"}
			},
			createWant: row{400, 400, 400, 200, 400, 200, 200},
			update:     map[string]any{"name": "Work"}, updateWant: row{404, 404, 404, 200, 404, 200, 200},
			deleteWant: row{404, 404, 404, 204, 404, 204, 204},
		},
		{
			collection: "busy_times",
			list:       row{0, 0, 0, 1, 0, 1, 1},
			view:       "busy_time", viewWant: row{404, 404, 404, 200, 404, 200, 200},
			create:     func(string) any { return map[string]any{} },
			createWant: row{403, 403, 403, 403, 403, 403, 400},
			update:     map[string]any{"end": future}, updateWant: row{403, 403, 403, 403, 403, 403, 200},
			deleteWant: row{403, 403, 403, 403, 403, 403, 204},
		},
		{
			collection: "google_links", // the server's: GET /api/google/calendar shows your own
			list:       row{forbidden, forbidden, forbidden, forbidden, forbidden, forbidden, 0},
		},
		{
			collection: "google_events",
			list:       row{forbidden, forbidden, forbidden, forbidden, forbidden, forbidden, 0},
		},
		{
			collection: "packages",
			list:       row{1, 1, 1, 2, 1, 2, 2},
			view:       "draft_package", viewWant: row{404, 404, 404, 200, 404, 200, 200},
			create: func(string) any {
				return map[string]any{"tutor": cast.Tutors[hookstest.Tutor], "title": "Five lessons", "lessons": 5, "minutes": 60,
					"price": 15000, "status": "draft", "valid_days": 60}
			},
			createWant: row{400, 400, 400, 200, 400, 200, 200},
			update:     map[string]any{"title": "Five great lessons"}, updateWant: row{404, 404, 404, 200, 404, 200, 200},
			deleteWant: row{404, 404, 404, 204, 404, 204, 204},
		},
		{
			collection: "purchases",
			list:       row{0, 1, 0, 0, 0, 1, 1},
			view:       "purchase", viewWant: row{404, 200, 404, 404, 404, 200, 200},
			create: func(string) any {
				return map[string]any{"student": users(hookstest.Student), "package": "", "amount": 1, "currency": "EUR", "status": "paid"}
			},
			createWant: row{403, 403, 403, 403, 403, 403, 400},
			update:     map[string]any{"status": "paid"}, updateWant: row{403, 403, 403, 403, 403, 403, 200},
			del: "purchase", deleteWant: row{403, 403, 403, 403, 403, 403, 204},
		},
		{
			collection: "series",
			list:       row{0, 1, 0, 1, 0, 1, 1},
			view:       "series", viewWant: row{404, 200, 404, 200, 404, 200, 200},
			create:     func(string) any { return map[string]any{} },
			createWant: row{403, 403, 403, 403, 403, 403, 400},
			update:     map[string]any{"status": "cancelled"}, updateWant: row{403, 403, 403, 403, 403, 403, 200},
			deleteWant: row{403, 403, 403, 403, 403, 403, 204},
		},
		{
			collection: "bookings",
			list:       row{0, 4, 0, 3, 1, 4, 4},
			view:       "booking", viewWant: row{404, 200, 404, 200, 404, 200, 200},
			create: func(role string) any {
				start, end := romeSlot(3, 10, 0, 60)
				body := map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end}
				if role == hookstest.Admin || role == hookstest.Superuser {
					body["student"] = users(hookstest.Student2)
				}
				return body
			},
			createWant: row{400, 200, 200, 400, 400, 200, 200},
			update:     map[string]any{"notes": "Bring the workbook"}, updateWant: row{404, 200, 404, 200, 404, 200, 200},
			deleteWant: row{403, 403, 403, 403, 403, 403, 204},
		},
	}, moneyTeachingAndMessagesCases(future)...)
}

// multipartBody is sent as multipart/form-data with a small file in "file".
type multipartBody map[string]string

// fixtureID resolves a fixture name: "@role" is that role's user,
// "@tutor_pending" its tutor profile, "@student_profile" the student's
// students record, "@school" the school.
func fixtureID(t testing.TB, name string) string {
	switch name {
	case "@school":
		return "tutorbaseschool"
	case "@tutor_pending":
		return cast.Tutors[hookstest.TutorPending]
	case "@student_profile":
		return cast.IDs["student_profile"]
	}
	if strings.HasPrefix(name, "@") {
		return cast.Users[name[1:]]
	}
	id, ok := cast.IDs[name]
	if !ok {
		t.Fatalf("no fixture %q", name)
	}
	return id
}

// writeFactory clones the cast for one write scenario. A superuser may set
// any field (as in the dashboard), money records included, so their
// writes are exempt from the money and credit invariants.
func writeFactory(role string) func(testing.TB) *tests.TestApp {
	return func(t testing.TB) *tests.TestApp {
		app := cast.Clone(t)
		if role == hookstest.Superuser {
			hookstest.Tampered(app)
		}
		return app
	}
}

func TestAccessRules(t *testing.T) {
	t.Parallel()
	for _, c := range accessCases() {
		t.Run(c.collection, func(t *testing.T) {
			t.Parallel() // every scenario clones the cast: they share nothing
			base := "/api/collections/" + c.collection + "/records"

			shared := cast.Clone(t) // reads change nothing: one app for them all
			defer shared.Cleanup()
			sharedFactory := func(testing.TB) *tests.TestApp { return shared }

			for i, role := range hookstest.Roles {
				want := c.list[i]
				s := tests.ApiScenario{
					Name: "list as " + role, Method: http.MethodGet, URL: base + "?perPage=200",
					Headers: cast.Auth(role), TestAppFactory: sharedFactory, DisableTestAppCleanup: true,
				}
				if want == forbidden {
					s.ExpectedStatus, s.ExpectedContent = 403, []string{`"status":403`}
				} else {
					s.ExpectedStatus, s.ExpectedContent = 200, []string{fmt.Sprintf(`"totalItems":%d`, want)}
				}
				s.Test(t)
			}
			if c.view == "" {
				return
			}
			id := fixtureID(t, c.view)
			for i, role := range hookstest.Roles {
				s := tests.ApiScenario{
					Name: "view as " + role, Method: http.MethodGet, URL: base + "/" + id, Headers: cast.Auth(role),
					TestAppFactory: sharedFactory, DisableTestAppCleanup: true,
				}
				expectStatus(&s, c.viewWant[i], id)
				s.Test(t)
			}
			for i, role := range hookstest.Roles {
				body, headers := encode(t, c.create(role), cast.Auth(role))
				s := tests.ApiScenario{
					Name: "create as " + role, Method: http.MethodPost, URL: base, Body: body, Headers: headers,
					TestAppFactory: writeFactory(role),
				}
				expectStatus(&s, c.createWant[i], "")
				s.Test(t)
			}
			for i, role := range hookstest.Roles {
				body, headers := encode(t, c.update, cast.Auth(role))
				s := tests.ApiScenario{
					Name: "update as " + role, Method: http.MethodPatch, URL: base + "/" + id, Body: body, Headers: headers,
					TestAppFactory: writeFactory(role),
				}
				expectStatus(&s, c.updateWant[i], id)
				s.Test(t)
			}
			delID := id
			if c.del != "" {
				delID = fixtureID(t, c.del)
			}
			for i, role := range hookstest.Roles {
				s := tests.ApiScenario{
					Name: "delete as " + role, Method: http.MethodDelete, URL: base + "/" + delID, Headers: cast.Auth(role),
					TestAppFactory: writeFactory(role),
				}
				expectStatus(&s, c.deleteWant[i], "")
				s.Test(t)
			}
		})
	}
}

func expectStatus(s *tests.ApiScenario, status int, id string) {
	s.ExpectedStatus = status
	switch {
	case status == 204:
		// no content
	case status == 200 && id != "":
		s.ExpectedContent = []string{`"id":"` + id + `"`}
	case status == 200:
		s.ExpectedContent = []string{`"id":"`}
	default:
		s.ExpectedContent = []string{fmt.Sprintf(`"status":%d`, status)}
	}
}

func encode(t testing.TB, body any, headers map[string]string) (io.Reader, map[string]string) {
	h := map[string]string{}
	for k, v := range headers {
		h[k] = v
	}
	if mp, ok := body.(multipartBody); ok {
		buf, w, err := tests.MockMultipartData(map[string]string(mp), "file")
		if err != nil {
			t.Fatal(err)
		}
		h["Content-Type"] = w.FormDataContentType()
		return buf, h
	}
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(b), h
}
