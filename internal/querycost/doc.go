// Package querycost decides, before any SQL runs, whether a client's
// records query may run: PocketBase's filter, sort and expand parameters,
// read with PocketBase's own filter parser (fexpr), so that a name inside a
// quoted string never counts and every name in a group or a function
// argument does.
//
// The cost of a list query grows with the rows each joined relation brings:
// a field path that walks back-relations ("student.bookings_via_student.
// student.bookings_via_student.id") multiplies the caller's own rows once
// per back-reference, and a single such request ran for PocketBase's whole
// query timeout. Check refuses a query that
//
//   - walks more than Limits.MaxHops relations in one field path (a filter
//     or sort path walks one per dot: "tutor.user.name" walks two; an expand
//     path one per segment: "purchase.package" walks two);
//   - walks a back-relation ("<collection>_via_<field>") that is not in
//     Limits.BackRelations;
//   - joins another collection with "@collection.<name>" that is not in
//     Limits.Collections;
//   - is longer than Limits.MaxFilter, MaxSort or MaxExpand bytes.
//
// A filter that does not parse is not refused here: PocketBase parses it
// with the same parser and refuses it, before any SQL, with its own answer.
//
// The package is pure: strings in, a *Refusal or nil out.
package querycost
