package querycost

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// The two filters of issue 12 that each kept a core busy for 30 s.
const (
	studentBookingsLoop = `student.bookings_via_student.student.bookings_via_student.student.bookings_via_student.id != ""`
	adminAuditLoop      = `actor.audit_log_via_actor.actor.audit_log_via_actor.id != ""`
)

func TestCheck(t *testing.T) {
	allowed := DefaultLimits()
	allowed.BackRelations = map[string]bool{"reviews_via_tutor": true}
	allowed.Collections = map[string]bool{"subjects": true}
	tests := []struct {
		name   string
		q      Query
		l      Limits
		param  string // "" = allowed
		reason string
	}{
		{"nothing asked", Query{}, DefaultLimits(), "", ""},
		{"the issue's student filter", Query{Filter: studentBookingsLoop}, DefaultLimits(), "filter", ReasonBackRelation},
		{"the issue's admin filter", Query{Filter: adminAuditLoop}, DefaultLimits(), "filter", ReasonBackRelation},
		{"one back-relation, not allowed", Query{Filter: `bookings_via_student.id != ""`}, DefaultLimits(), "filter", ReasonBackRelation},
		{"a back-relation with a modifier", Query{Filter: `bookings_via_student:length > 2`}, DefaultLimits(), "filter", ReasonBackRelation},
		{"an allowed back-relation", Query{Filter: `reviews_via_tutor.rating > 3`}, allowed, "", ""},
		{"an allowed back-relation still counts its hops", Query{Filter: `reviews_via_tutor.booking.student.name = "x"`}, allowed, "filter", ReasonHops},
		{"two hops", Query{Filter: `tutor.user.name ~ "a"`}, DefaultLimits(), "", ""},
		{"three hops", Query{Filter: `purchase.package.tutor.hourly_rate > 1`}, DefaultLimits(), "filter", ReasonHops},
		{"three hops on the right side", Query{Filter: `id != purchase.package.tutor.id`}, DefaultLimits(), "filter", ReasonHops},
		{"three hops in a nested group", Query{Filter: `status = "paid" && (a = 1 || (b = 2 && purchase.package.tutor.id != ""))`}, DefaultLimits(), "filter", ReasonHops},
		{"three hops in a function argument", Query{Filter: `strftime('%Y', purchase.package.tutor.created) = "2027"`}, DefaultLimits(), "filter", ReasonHops},
		{"a path inside a string is only text", Query{Filter: `notes = "student.bookings_via_student.student.bookings_via_student.id"`}, DefaultLimits(), "", ""},
		{"a comment is not a path", Query{Filter: "status = 'paid' // student.bookings_via_student.id\n"}, DefaultLimits(), "", ""},
		{"@request.auth.role is one hop", Query{Filter: `@request.auth.role = "admin"`}, DefaultLimits(), "", ""},
		{"@request.auth walks three", Query{Filter: `@request.auth.a.b.c = "x"`}, DefaultLimits(), "filter", ReasonHops},
		{"a back-relation from the caller", Query{Filter: `@request.auth.bookings_via_student.id != ""`}, DefaultLimits(), "filter", ReasonBackRelation},
		{"@collection join", Query{Filter: `@collection.bookings.student ?= id`}, DefaultLimits(), "filter", ReasonCollection},
		{"@collection join with an alias", Query{Filter: `@collection.bookings:b.student ?= id`}, DefaultLimits(), "filter", ReasonCollection},
		{"an allowed @collection join", Query{Filter: `@collection.subjects.slug ?= "maths"`}, allowed, "", ""},
		{"macros and literals", Query{Filter: `start >= @todayStart && paid = true && price > 10`}, DefaultLimits(), "", ""},
		{"a filter that does not parse is PocketBase's to refuse", Query{Filter: `status = (`}, DefaultLimits(), "", ""},
		{"sort on two hops", Query{Sort: "-tutor.user.name,+start,@rowid"}, DefaultLimits(), "", ""},
		{"sort on three hops", Query{Sort: "start,-purchase.package.tutor.name"}, DefaultLimits(), "sort", ReasonHops},
		{"sort on a back-relation", Query{Sort: "bookings_via_student.start"}, DefaultLimits(), "sort", ReasonBackRelation},
		{"expand two levels", Query{Expand: "purchase.package,booking"}, DefaultLimits(), "", ""},
		{"expand three levels", Query{Expand: "booking,purchase.package.tutor"}, DefaultLimits(), "expand", ReasonHops},
		{"expand a back-relation", Query{Expand: "bookings_via_student"}, DefaultLimits(), "expand", ReasonBackRelation},
		{"a filter longer than the bound", Query{Filter: strings.Repeat(`a = 1 || `, 400) + "a = 1"}, DefaultLimits(), "filter", ReasonLength},
		{"a sort longer than the bound", Query{Sort: strings.Repeat("start,", 50)}, DefaultLimits(), "sort", ReasonLength},
		{"an expand longer than the bound", Query{Expand: strings.Repeat("booking,", 40)}, DefaultLimits(), "expand", ReasonLength},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.q, tt.l)
			if tt.param == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var r *Refusal
			if !errors.As(err, &r) {
				t.Fatalf("got %v, want a refusal of %s (%s)", err, tt.param, tt.reason)
			}
			if r.Param != tt.param || r.Reason != tt.reason {
				t.Fatalf("got %s (%s), want %s (%s)", r.Param, r.Reason, tt.param, tt.reason)
			}
		})
	}
}

// TestWebAppQueriesPass lists the filters, sorts and expands the web app
// sends (pb_public/js, with its placeholders filled in); the browser tests
// run the real ones.
func TestWebAppQueriesPass(t *testing.T) {
	id := "'abcdefghijklmno'"
	queries := []Query{
		{Filter: `status = "paid" && tutor = ` + id, Expand: "package", Sort: "expires_at"},
		{Filter: `user = ` + id},
		{Filter: `status = "pending"`, Sort: "created", Expand: "student,package"},
		{Filter: `payment_status = "unpaid" && status != "cancelled"`, Sort: "start"},
		{Filter: `status != "pending"`, Sort: "-paid_at", Expand: "user"},
		{Sort: "-period_start", Expand: "tutor"},
		{Filter: `status = 'failed' && channel = 'sms'`, Sort: "-created", Expand: "user,notification"},
		{Filter: `tutor_user = ` + id + ` && (status = "completed" || status = "no_show") && payout = ""`, Sort: "-start"},
		{Filter: `student = ` + id + ` && start >= '2027-01-01 00:00:00.000Z' && end >= '2027-01-01 00:00:00.000Z' && (status = "pending" || status = "confirmed")`, Sort: "start"},
		{Filter: `student_name ~ 'Stella' && start >= '2027-01-01 00:00:00.000Z'`, Sort: "-start"},
		{Sort: "-created", Expand: "purchase.package,booking"},
		{Sort: "-created", Expand: "package,tutor"},
		{Filter: `verified = false && status != "suspended"`, Sort: "created", Expand: "user"},
		{Filter: strings.TrimSuffix(strings.Repeat(`booking = `+id+` || `, 100), " || ")}, // the reviews of 100 past lessons
		// lesson materials: a lesson's, a tutor's or student's list and folders, a history, who downloaded
		{Filter: `latest = true && (booking = ` + id + ` || (owner = ` + id + ` && shared_with.id ?= ` + id + `))`, Sort: "folder,title"},
		{Filter: `latest = true && owner = ` + id + ` && folder = 'Week 1'`, Sort: "folder,title"},
		{Filter: `latest = true && owner != ` + id, Sort: "folder"},
		{Filter: `id = ` + id + ` || root = ` + id, Sort: "-version"},
		{Filter: `material = ` + id + ` || material.root = ` + id, Sort: "-created", Expand: "material"},
		{Filter: `tutor_user = ` + id + ` && status != "cancelled"`, Sort: "-start"},
		{Filter: `booking = ` + id}, // a lesson's report
		{Filter: `student = ` + id + ` && homework != ""`, Sort: "-lesson_start"}, // the To do list
		{Filter: `student = ` + id, Sort: "-created"},                             // a tutor's private notes
		{Filter: `owner = ` + id, Sort: "-created"},                               // a tutor's materials for homework
	}
	for _, q := range queries {
		if err := Check(q, DefaultLimits()); err != nil {
			t.Errorf("%+v: %v", q, err)
		}
	}
}

// TestDeeperFamilyRefused generates ever deeper variants of the issue's
// filters (more back-references, forward chains, every parameter and
// position) and expects each refused.
func TestDeeperFamilyRefused(t *testing.T) {
	for _, q := range DeeperFamily() {
		var r *Refusal
		if err := Check(q, DefaultLimits()); !errors.As(err, &r) {
			t.Errorf("%+v was not refused", q)
		}
	}
	if n := len(DeeperFamily()); n < 40 {
		t.Fatalf("only %d generated queries", n)
	}
}

func ExampleCheck() {
	err := Check(Query{Filter: `student.bookings_via_student.id != ""`}, DefaultLimits())
	fmt.Println(err)
	fmt.Println(Check(Query{Filter: `tutor.user.name ~ "Rossi"`, Expand: "tutor"}, DefaultLimits()))
	// Output:
	// filter refused: back_relation in "student.bookings_via_student.id"
	// <nil>
}
