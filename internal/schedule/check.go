package schedule

import (
	"fmt"
	"time"
)

// Codes of the booking rules a RuleError reports, as DESIGN.md names them.
const (
	CodeMisaligned          = "misaligned"
	CodeBadLength           = "bad_length"
	CodeOutsideAvailability = "outside_availability"
	CodeSlotConflict        = "slot_conflict"
	CodeTooSoon             = "too_soon"
	CodeTooFar              = "too_far"
)

// RuleError is a broken booking or availability rule: Code is one of the
// Code constants, Field the request field at fault ("start", "end", ...),
// and Message a short capitalised sentence that can be shown to users as is.
// It never names another person.
type RuleError struct {
	Code, Field, Message string
}

// Error returns "code: message".
func (e *RuleError) Error() string {
	return e.Code + ": " + e.Message
}

// Check validates one requested lesson [req.Start, req.End) against the
// calendar and returns the first rule it breaks, as a *RuleError, in this
// order:
//
//  1. CodeMisaligned on "start": the start is not aligned (see Aligned);
//     then CodeBadLength on "end": the length is not positive or not one of
//     Lengths.
//  2. CodeOutsideAvailability on "start": the lesson does not lie wholly
//     inside the union of window occurrences, or it overlaps time off.
//  3. CodeSlotConflict on "start": it overlaps a Busy interval widened by
//     Buffer on both sides, or one of studentBusy (no buffer).
//  4. CodeTooSoon on "start": it starts before now + MinNotice; then
//     CodeTooFar on "start": MaxAdvance > 0 and it starts after
//     now + MaxAdvance.
//
// It returns nil when every rule holds. A reschedule passes its old booking
// in ignore: Busy and studentBusy intervals equal to one in ignore (same
// Start and End instants) are left out, so the lesson does not conflict with
// the booking it replaces. Callers that already exclude the old booking
// when loading Busy need not pass it.
func (c Calendar) Check(req Interval, studentBusy []Interval, now time.Time, ignore ...Interval) error {
	switch {
	case !Aligned(req.Start, c.Location, c.step()):
		return &RuleError{CodeMisaligned, "start",
			fmt.Sprintf("Lessons can only start every %s, counted from midnight.", humanDuration(c.step()))}
	case !c.lengthAllowed(req.End.Sub(req.Start)):
		return &RuleError{CodeBadLength, "end", "This tutor does not offer lessons of that length."}
	case !c.available(req):
		return &RuleError{CodeOutsideAvailability, "start", "The tutor is not available at that time."}
	case conflicts(req, c.Busy, c.Buffer, ignore):
		return &RuleError{CodeSlotConflict, "start", "That time is no longer free."}
	case conflicts(req, studentBusy, 0, ignore):
		return &RuleError{CodeSlotConflict, "start", "You already have a lesson at that time."}
	case req.Start.Before(now.Add(c.MinNotice)):
		if c.MinNotice <= 0 {
			return &RuleError{CodeTooSoon, "start", "That time has already passed."}
		}
		return &RuleError{CodeTooSoon, "start",
			fmt.Sprintf("Lessons must be booked at least %s in advance.", humanDuration(c.MinNotice))}
	case c.MaxAdvance > 0 && req.Start.After(now.Add(c.MaxAdvance)):
		return &RuleError{CodeTooFar, "start",
			fmt.Sprintf("Lessons can be booked at most %s in advance.", humanDuration(c.MaxAdvance))}
	}
	return nil
}

// available reports whether req lies inside one span of availability and
// clear of time off.
func (c *Calendar) available(req Interval) bool {
	for _, off := range c.TimeOff {
		if off.Overlaps(req) {
			return false
		}
	}
	var zs zones
	var buf [8]span
	r := toSpan(req)
	for _, sp := range expand(&zs, c.Windows, r.s, r.e, buf[:0]) {
		if sp.s <= r.s && r.e <= sp.e {
			return true
		}
	}
	return false
}

// conflicts reports whether req overlaps any of busy widened by buffer,
// leaving out the intervals listed in ignore.
func conflicts(req Interval, busy []Interval, buffer time.Duration, ignore []Interval) bool {
	r := toSpan(req)
	for _, b := range busy {
		sp := toSpan(b)
		if sp.s < sp.e && addNS(sp.s, -buffer) < r.e && r.s < addNS(sp.e, buffer) && !contains(ignore, b) {
			return true
		}
	}
	return false
}

// contains reports whether list holds an interval with iv's start and end.
func contains(list []Interval, iv Interval) bool {
	for _, x := range list {
		if x.Start.Equal(iv.Start) && x.End.Equal(iv.End) {
			return true
		}
	}
	return false
}

// humanDuration spells d in the largest whole unit: "2 hours", "90 days",
// "45 minutes".
func humanDuration(d time.Duration) string {
	unit := func(n int64, name string) string {
		if n == 1 {
			return "1 " + name
		}
		return fmt.Sprintf("%d %ss", n, name)
	}
	switch {
	case d%(24*time.Hour) == 0:
		return unit(int64(d/(24*time.Hour)), "day")
	case d%time.Hour == 0:
		return unit(int64(d/time.Hour), "hour")
	case d%time.Minute == 0:
		return unit(int64(d/time.Minute), "minute")
	}
	return d.String()
}
