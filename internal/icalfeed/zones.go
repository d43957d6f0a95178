package icalfeed

import (
	"fmt"
	"strings"
	"time"

	ical "github.com/emersion/go-ical"
)

// zones resolves the TZIDs of one feed: an IANA name wins (the database is
// more accurate than any feed's copy of it), then the feed's own
// VTIMEZONE, then a Windows zone name Outlook uses, then the floating zone.
type zones struct {
	defs     map[string]*ical.Component // VTIMEZONE by TZID
	cache    map[string]*time.Location
	floating *time.Location
	from, to time.Time // the horizon: built zones cover it
}

func newZones(cal *ical.Calendar, opt Options) *zones {
	zs := &zones{defs: map[string]*ical.Component{}, cache: map[string]*time.Location{}, floating: opt.Zone, from: opt.From, to: opt.To}
	for _, c := range cal.Children {
		if c.Name != ical.CompTimezone {
			continue
		}
		if p := c.Props.Get(ical.PropTimezoneID); p != nil {
			zs.defs[cleanTZID(p.Value)] = c
		}
	}
	return zs
}

func cleanTZID(s string) string { return strings.Trim(strings.TrimSpace(s), `"`) }

// loc returns the zone a TZID names.
func (zs *zones) loc(tzid string) *time.Location {
	tzid = cleanTZID(tzid)
	if tzid == "" {
		return zs.floating
	}
	if l, ok := zs.cache[tzid]; ok {
		return l
	}
	l := zs.resolve(tzid)
	zs.cache[tzid] = l
	return l
}

func (zs *zones) resolve(tzid string) *time.Location {
	if l := ianaZone(tzid); l != nil {
		return l
	}
	if def := zs.defs[tzid]; def != nil {
		if l, err := buildZone(tzid, def, zs.from, zs.to); err == nil {
			return l
		}
	}
	if name, ok := windowsZones[tzid]; ok {
		if l := ianaZone(name); l != nil {
			return l
		}
	}
	return zs.floating
}

// ianaZone loads an IANA zone by name, also from the prefixed forms some
// programs write ("/mozilla.org/20070129_1/Europe/Rome"); nil if none.
func ianaZone(name string) *time.Location {
	if strings.EqualFold(name, "local") || len(name) > 128 {
		return nil // the server's own zone means nothing to the feed
	}
	for {
		if l, err := time.LoadLocation(name); err == nil && name != "" {
			return l
		}
		i := strings.IndexByte(name, '/')
		if i < 0 {
			return nil
		}
		name = name[i+1:]
	}
}

// when reads one DATE or DATE-TIME value v of p: a DATE is midnight of
// that date in the floating zone (all-day), a time ending in Z is UTC, one
// with TZID is in that zone, others are floating.
func (zs *zones) when(p *ical.Prop, v string) (time.Time, bool, error) {
	v = strings.TrimSpace(v)
	isDate := strings.EqualFold(p.Params.Get(ical.ParamValue), string(ical.ValueDate)) || len(v) == len("20060102")
	switch {
	case isDate:
		t, err := time.ParseInLocation("20060102", v, zs.floating)
		return t, true, err
	case strings.HasSuffix(v, "Z"):
		t, err := time.ParseInLocation("20060102T150405Z", v, time.UTC)
		return t, false, err
	}
	t, err := time.ParseInLocation("20060102T150405", v, zs.loc(p.Params.Get(ical.PropTimezoneID)))
	return t, false, err
}

// period reads one RDATE value: a date, a date-time, or a PERIOD
// (start/end or start/duration).
func (zs *zones) period(p *ical.Prop, v string) (occurrence, error) {
	first, second, isPeriod := strings.Cut(v, "/")
	start, _, err := zs.when(p, first)
	if err != nil || !isPeriod {
		return occurrence{start: start}, err
	}
	if strings.HasPrefix(strings.TrimPrefix(second, "+"), "P") {
		l, err := parseDuration(second)
		return occurrence{start: start, end: l.after(start)}, err
	}
	end, _, err := zs.when(p, second)
	if err == nil && !end.After(start) {
		err = fmt.Errorf("period ends before it starts")
	}
	return occurrence{start: start, end: end}, err
}

// windowsZones are the Windows names Outlook and Exchange write as TZIDs,
// for a feed that leaves out its VTIMEZONE (CLDR's windowsZones, the zone
// of each name's main territory; the most common ones).
var windowsZones = map[string]string{
	"UTC":                             "UTC",
	"GMT Standard Time":               "Europe/London",
	"Greenwich Standard Time":         "Atlantic/Reykjavik",
	"W. Europe Standard Time":         "Europe/Berlin",
	"Romance Standard Time":           "Europe/Paris",
	"Central Europe Standard Time":    "Europe/Budapest",
	"Central European Standard Time":  "Europe/Warsaw",
	"E. Europe Standard Time":         "Europe/Chisinau",
	"FLE Standard Time":               "Europe/Kiev",
	"GTB Standard Time":               "Europe/Bucharest",
	"Russian Standard Time":           "Europe/Moscow",
	"Turkey Standard Time":            "Europe/Istanbul",
	"Eastern Standard Time":           "America/New_York",
	"Central Standard Time":           "America/Chicago",
	"Mountain Standard Time":          "America/Denver",
	"Pacific Standard Time":           "America/Los_Angeles",
	"SA Pacific Standard Time":        "America/Bogota",
	"E. South America Standard Time":  "America/Sao_Paulo",
	"India Standard Time":             "Asia/Kolkata",
	"China Standard Time":             "Asia/Shanghai",
	"Tokyo Standard Time":             "Asia/Tokyo",
	"AUS Eastern Standard Time":       "Australia/Sydney",
	"New Zealand Standard Time":       "Pacific/Auckland",
	"South Africa Standard Time":      "Africa/Johannesburg",
	"Arabian Standard Time":           "Asia/Dubai",
	"Singapore Standard Time":         "Asia/Singapore",
	"W. Central Africa Standard Time": "Africa/Lagos",
}
