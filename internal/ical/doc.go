// Package ical writes iCalendar feeds (RFC 5545): a VCALENDAR of VEVENTs,
// published for calendar apps to subscribe to.
//
// The writer follows the RFC's content-line rules: CRLF line endings, lines
// folded at 75 octets without splitting a UTF-8 sequence, TEXT values
// escaped (backslash, semicolon, comma, newline as \n) and stripped of
// control characters, and every instant written in UTC ("20270329T070000Z"),
// so a feed needs no VTIMEZONE and calendar apps show each lesson in their
// own zone.
//
// The package is pure: it imports only the standard library, reads no clock
// (DTSTAMP is the caller's Stamp) and keeps no state.
package ical
