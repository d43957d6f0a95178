package hooks_test

import (
	"net/http"
	"strings"
	"testing"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/pocketbase/tests"
)

func TestAvailabilityValidation(t *testing.T) {
	t.Parallel()
	tutor := cast.Tutors[hookstest.Tutor]
	post := func(name, body string, status int, want string) tests.ApiScenario {
		return tests.ApiScenario{
			Name: name, Method: http.MethodPost, URL: "/api/collections/availability/records", Headers: cast.Auth(hookstest.Tutor),
			Body: strings.NewReader(body), ExpectedStatus: status, ExpectedContent: []string{want},
		}
	}
	win := func(weekday, start, end string, extra ...string) string {
		return `{"tutor":"` + tutor + `","weekday":` + weekday + `,"start":"` + start + `","end":"` + end + `"` + strings.Join(extra, "") + `}`
	}
	scenarios := []tests.ApiScenario{
		post("a window on a free day, in the tutor's zone by default", win("3", "09:00", "12:00"), 200, `"timezone":"Europe/Rome"`),
		post("a window crossing midnight", win("5", "22:00", "02:00"), 200, `"end":"02:00"`),
		post("a window to the end of the day", win("6", "18:00", "24:00"), 200, `"end":"24:00"`),
		post("adjacent to an existing window", win("1", "17:00", "19:00"), 200, `"start":"17:00"`),
		post("overlapping an existing window", win("1", "16:00", "18:00"), 400, `"start":{"code":"overlapping_window"`),
		post("inside an existing window", win("1", "10:00", "11:00"), 400, `"start":{"code":"overlapping_window"`),
		post("start equal to end", win("2", "09:00", "09:00"), 400, `"end":{"code":"invalid_window"`),
		post("not HH:MM", win("2", "9:00", "10:00"), 400, `"start":{"code":"validation_invalid_format"`),
		post("25 o'clock", win("2", "09:00", "25:00"), 400, `"end":{"code":"validation_invalid_format"`),
		post("24:00 as a start", win("2", "24:00", "10:00"), 400, `"start":{"code":"invalid_window"`),
		post("weekday 8", win("8", "09:00", "10:00"), 400, `"weekday":{"code":"invalid_window"`),
		post("an unknown zone", win("2", "09:00", "10:00", `,"timezone":"Moon/Base"`), 400, `"timezone":{"code":"invalid_timezone"`),
		post("valid until before valid from", win("2", "09:00", "10:00", `,"valid_from":"2027-02-01","valid_until":"2027-01-01"`), 400, `"valid_until":{"code":"invalid_window"`),
		post("a window for some dates still clashes with an unbounded one", win("1", "10:00", "11:00", `,"valid_from":"2030-06-01","valid_until":"2030-08-31"`), 400, `"overlapping_window"`),
		post("another tutor's availability", `{"tutor":"`+cast.Tutors[hookstest.Tutor2]+`","weekday":1,"start":"06:00","end":"07:00"}`, 400, `"status":400`),
		{
			Name: "a tutor cannot move a window to another tutor", Method: http.MethodPatch, URL: "/api/collections/availability/records/" + cast.IDs["availability"],
			Headers: cast.Auth(hookstest.Tutor), Body: strings.NewReader(`{"tutor":"` + cast.Tutors[hookstest.Tutor2] + `"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"tutor":{"code":"immutable"`},
		},
		{
			Name: "time off must end after it starts", Method: http.MethodPost, URL: "/api/collections/time_off/records", Headers: cast.Auth(hookstest.Tutor),
			Body:           strings.NewReader(`{"tutor":"` + tutor + `","start":"2027-01-02 10:00:00.000Z","end":"2027-01-01 10:00:00.000Z"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"end":{"code":"invalid_range"`},
		},
		{
			Name: "time off of a sensible length", Method: http.MethodPost, URL: "/api/collections/time_off/records", Headers: cast.Auth(hookstest.Tutor),
			Body:           strings.NewReader(`{"tutor":"` + tutor + `","start":"2027-01-01 10:00:00.000Z","end":"2029-01-01 10:00:00.000Z"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"end":{"code":"invalid_range"`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = cast.Factory
		s.Test(t)
	}
}
