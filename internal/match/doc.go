// Package match ranks tutors for a student's request (a subject, the hours
// they want, a budget and a language) and explains each rank with reasons a
// person can read. It also answers the free-time questions discovery asks of
// the slot engine: is there any free lesson in a window (stopping at the
// first one), and how much of the window is free.
//
// The package is pure: plain values in, plain values out, no clock and no
// database. The hooks read tutors, availability and bookings, build
// Candidates and schedule.Calendars, and call Rank, FirstFree and FreeIn.
package match
