package querycost

import "strings"

// DeeperFamily generates hostile queries of the bookings and audit_log
// collections that Check must refuse with DefaultLimits: the two
// back-reference loops of issue 12 ("student.bookings_via_student...",
// "actor.audit_log_via_actor...") with one to six back-references,
// forward chains of three to eight hops (rescheduled_from, purchase,
// tutor), each put on either side of a comparison, inside nested groups,
// inside a function call, as a sort and as an expand. The tests and the
// load test send them.
func DeeperFamily() []Query {
	var paths []string
	for k := 1; k <= 6; k++ {
		paths = append(paths,
			"student"+strings.Repeat(".bookings_via_student.student", k-1)+".bookings_via_student",
			"actor"+strings.Repeat(".audit_log_via_actor.actor", k-1)+".audit_log_via_actor")
	}
	for k := 3; k <= 8; k++ {
		paths = append(paths, strings.TrimPrefix(strings.Repeat(".rescheduled_from", k), "."))
	}
	paths = append(paths, "purchase.package.tutor", "rescheduled_from.purchase.package.tutor", "tutor.user.bookings_via_tutor_user")
	var out []Query
	for _, p := range paths {
		field := p + ".id"
		out = append(out,
			Query{Filter: field + ` != ""`},
			Query{Filter: `"x" = ` + field},
			Query{Filter: `status = "confirmed" && (start > @now || (price > 0 && ` + field + ` != ""))`},
			Query{Filter: `strftime('%Y', ` + field + `) = "2027"`},
			Query{Filter: `id != ""`, Sort: "-start," + field},
			Query{Expand: p},
		)
	}
	return out
}
