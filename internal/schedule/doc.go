// Package schedule decides when a tutor is free: weekly availability windows
// written in local wall-clock time, their expansion into real-time spans,
// slot generation, the booking rules that guard a requested lesson, and
// weekly recurrence.
//
// Every instant the package takes or returns is a time.Time compared as an
// instant; the ones it returns are in UTC. Only weekly windows are wall-clock
// times, and they carry the IANA zone they are written in. A window is the
// span of real time between its local start and local end on each date it
// applies to, so 01:00-04:00 in Europe/Rome lasts two real hours on the
// spring-forward night and four on the fall-back night. A local time inside
// a DST gap resolves to the first instant after the gap; an ambiguous local
// time (the repeated hour when clocks fall back) resolves to the earlier
// instant. Go's time.Date leaves both cases unspecified, so the package
// resolves them itself (see LocalTime).
//
// The package never reads the clock: callers pass now.
package schedule
