// Package availability owns when tutors teach: their weekly windows and
// time off (the rules every write of them obeys), and the calendars built
// from them, with the lessons that keep a tutor busy, for the slot engine
// (internal/schedule): one tutor's for a booking or a slots query, many at
// once for search and matching.
package availability
