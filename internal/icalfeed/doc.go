// Package icalfeed reads other calendars' iCalendar feeds (RFC 5545) as
// busy time: a tutor's Google, Apple, Outlook, Proton or Nextcloud calendar
// published at a secret address.
//
// Fetch downloads a feed over http or https only, with conditional
// requests (ETag, Last-Modified), a size and a time limit, and a dialer
// that refuses private, loopback and link-local addresses after DNS
// resolution and on every redirect, unless the caller allows them.
//
// Busy expands a feed's events over a horizon into busy intervals:
// recurring events (RRULE, RDATE, EXDATE), overridden or cancelled
// instances (RECURRENCE-ID), time zones given by IANA name or by the feed's
// own VTIMEZONE definitions, all-day events (in the caller's zone), and
// events that do not block time (TRANSP:TRANSPARENT, STATUS:CANCELLED,
// Outlook's free status) left out. Only instants come out: no title,
// description, location or attendee ever leaves this package.
//
// The decoding of content lines and components is github.com/emersion/go-ical's;
// recurrence rules are expanded by github.com/teambition/rrule-go. The
// package imports no PocketBase and reads no clock or environment.
package icalfeed
