// Package platform is what every Tutorbase capability shares: the school's
// settings, the cached reads of tutors, people and subjects, the booking
// statuses and roles, the error shapes and field guards, the audit log and
// the request's language. Capability packages (booking, payments, ...)
// import it; it imports none of them.
package platform
