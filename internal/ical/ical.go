package ical

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"
)

// Event statuses (RFC 5545 §3.8.1.11, the values allowed on a VEVENT).
const (
	StatusConfirmed = "CONFIRMED"
	StatusTentative = "TENTATIVE"
	StatusCancelled = "CANCELLED"
)

// Event is one VEVENT.
type Event struct {
	// UID identifies the event across feeds and over time: a calendar app
	// updates the event with the same UID instead of adding another.
	UID string
	// Start is required; End may be zero (no DTEND), else it must be after
	// Start.
	Start, End time.Time
	// Stamp is DTSTAMP, required: with METHOD:PUBLISH, when the feed was
	// produced.
	Stamp time.Time
	// LastModified is optional (zero: no LAST-MODIFIED).
	LastModified time.Time
	// Summary, Description and Location are TEXT; empty ones are left out.
	Summary, Description, Location string
	// URL is a URI: not escaped, but stripped of spaces and control
	// characters; empty is left out.
	URL string
	// Status is StatusConfirmed, StatusTentative, StatusCancelled or empty
	// (no STATUS). A cancelled event is also marked TRANSP:TRANSPARENT so it
	// never shows the time as busy.
	Status string
	// Sequence is the revision number; it must grow when the event changes.
	Sequence int
}

// Calendar is one VCALENDAR published as a feed.
type Calendar struct {
	// Name is shown by calendar apps as the subscription's title
	// (X-WR-CALNAME); empty is left out.
	Name string
	// ProdID names the product that wrote the feed, required, in the FPI
	// form "-//Company//Product//EN".
	ProdID string
	Events []Event
}

// RefreshInterval is how often subscribers are asked to fetch the feed
// again (REFRESH-INTERVAL and X-PUBLISHED-TTL).
const RefreshInterval = "PT1H"

// timeLayout is RFC 5545's DATE-TIME in UTC form.
const timeLayout = "20060102T150405Z"

// WriteTo writes the calendar to w as an iCalendar object. The calendar is
// checked first, so an invalid one writes nothing and returns an error.
//
// RFC 5545 asks for at least one component in a VCALENDAR: a calendar
// without events carries a UTC VTIMEZONE, so strict parsers accept an
// empty feed too.
func (c Calendar) WriteTo(w io.Writer) (int64, error) {
	if err := c.validate(); err != nil {
		return 0, err
	}
	var b lineWriter
	b.line("BEGIN:VCALENDAR")
	b.line("VERSION:2.0")
	b.line("PRODID:" + escapeText(c.ProdID))
	b.line("CALSCALE:GREGORIAN")
	b.line("METHOD:PUBLISH")
	if c.Name != "" {
		b.line("X-WR-CALNAME:" + escapeText(c.Name))
	}
	b.line("REFRESH-INTERVAL;VALUE=DURATION:" + RefreshInterval)
	b.line("X-PUBLISHED-TTL:" + RefreshInterval)
	if len(c.Events) == 0 {
		b.utcTimezone()
	}
	for _, e := range c.Events {
		b.event(e)
	}
	b.line("END:VCALENDAR")
	return b.buf.WriteTo(w)
}

func (c Calendar) validate() error {
	if c.ProdID == "" {
		return errors.New("ical: the calendar has no PRODID")
	}
	for i, e := range c.Events {
		if err := e.validate(); err != nil {
			return fmt.Errorf("ical: event %d (%q): %w", i, e.UID, err)
		}
	}
	return nil
}

func (e Event) validate() error {
	switch {
	case e.UID == "":
		return errors.New("no UID")
	case e.Start.IsZero():
		return errors.New("no start")
	case e.Stamp.IsZero():
		return errors.New("no stamp")
	case !e.End.IsZero() && !e.End.After(e.Start):
		return errors.New("end is not after start")
	case e.Sequence < 0:
		return errors.New("negative sequence")
	}
	switch e.Status {
	case "", StatusConfirmed, StatusTentative, StatusCancelled:
		return nil
	}
	return fmt.Errorf("unknown status %q", e.Status)
}

// lineWriter collects folded content lines.
type lineWriter struct{ buf bytes.Buffer }

func (b *lineWriter) line(s string) { writeFolded(&b.buf, s) }

// text writes a TEXT property, left out when empty.
func (b *lineWriter) text(name, value string) {
	if value != "" {
		b.line(name + ":" + escapeText(value))
	}
}

func (b *lineWriter) time(name string, t time.Time) {
	if !t.IsZero() {
		b.line(name + ":" + FormatTime(t))
	}
}

func (b *lineWriter) event(e Event) {
	b.line("BEGIN:VEVENT")
	b.text("UID", e.UID)
	b.time("DTSTAMP", e.Stamp)
	b.time("DTSTART", e.Start)
	b.time("DTEND", e.End)
	b.time("LAST-MODIFIED", e.LastModified)
	b.line(fmt.Sprintf("SEQUENCE:%d", e.Sequence))
	if e.Status != "" {
		b.line("STATUS:" + e.Status)
	}
	if e.Status == StatusCancelled {
		b.line("TRANSP:TRANSPARENT")
	}
	b.text("SUMMARY", e.Summary)
	b.text("DESCRIPTION", e.Description)
	b.text("LOCATION", e.Location)
	if u := cleanURI(e.URL); u != "" {
		b.line("URL:" + u)
	}
	b.line("END:VEVENT")
}

// utcTimezone writes the one component of an empty calendar.
func (b *lineWriter) utcTimezone() {
	for _, s := range []string{
		"BEGIN:VTIMEZONE", "TZID:UTC",
		"BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:+0000", "TZOFFSETTO:+0000", "TZNAME:UTC", "END:STANDARD",
		"END:VTIMEZONE",
	} {
		b.line(s)
	}
}

// FormatTime writes t as a UTC DATE-TIME ("20270329T070000Z"), dropping
// fractions of a second.
func FormatTime(t time.Time) string { return t.UTC().Format(timeLayout) }
