package notify

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Italian abbreviations, written here rather than taken from a locale
// library: lower case, as Italian writes them.
var (
	itWeekdays = [7]string{"dom", "lun", "mar", "mer", "gio", "ven", "sab"}
	itMonths   = [12]string{"gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"}
)

// zoneName names loc for people: its IANA name, "UTC" for nil.
func zoneName(loc *time.Location) string {
	if loc == nil {
		return "UTC"
	}
	return loc.String()
}

// formatDay writes t's local date: "Tue 1 Dec 2026" or "mar 1 dic 2026".
func formatDay(t time.Time, lang string) string {
	if lang == "it" {
		return fmt.Sprintf("%s %d %s %d", itWeekdays[t.Weekday()], t.Day(), itMonths[t.Month()-1], t.Year())
	}
	return t.Format("Mon 2 Jan 2006")
}

// formatInstant writes t in loc with the zone named:
// "Tue 1 Dec 2026, 15:00 (Europe/Rome)". A zero t is "".
func formatInstant(t time.Time, loc *time.Location, lang string) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(orUTC(loc))
	return formatDay(t, lang) + ", " + t.Format("15:04") + " (" + zoneName(loc) + ")"
}

// formatSpan writes a lesson's start and end in loc, folding the end into
// the same line when both fall on one local date:
// "Tue 1 Dec 2026, 15:00–16:00 (Europe/Rome)". Without an end (or with an
// end not after start) it is [formatInstant] of start.
func formatSpan(start, end time.Time, loc *time.Location, lang string) string {
	if start.IsZero() || !end.After(start) {
		return formatInstant(start, loc, lang)
	}
	s, e := start.In(orUTC(loc)), end.In(orUTC(loc))
	if s.YearDay() == e.YearDay() && s.Year() == e.Year() {
		return formatDay(s, lang) + ", " + s.Format("15:04") + "–" + e.Format("15:04") + " (" + zoneName(loc) + ")"
	}
	return formatDay(s, lang) + ", " + s.Format("15:04") + " – " + formatDay(e, lang) + ", " + e.Format("15:04") +
		" (" + zoneName(loc) + ")"
}

// formatBefore says how long before the lesson a reminder is read:
// "in 1 hour", "in 1 hour 30 minutes", "in 24 hours", "in 2 days" (or
// "tra 1 ora", "tra 1 ora e 30 minuti", "tra 24 ore", "tra 2 giorni"), and
// "now" / "adesso" for an offset under a minute. Whole days are used from
// 48 hours on, so the usual 24-hour reminder reads "in 24 hours", which is
// true whatever the local date.
func formatBefore(d time.Duration, lang string) string {
	d = d.Round(time.Minute)
	if d < time.Minute {
		if lang == "it" {
			return "adesso"
		}
		return "now"
	}
	type unit struct{ one, many string }
	units := map[string][3]unit{ // days, hours, minutes
		"en": {{"day", "days"}, {"hour", "hours"}, {"minute", "minutes"}},
		"it": {{"giorno", "giorni"}, {"ora", "ore"}, {"minuto", "minuti"}},
	}[lang]
	count := func(n int64, u unit) string {
		if n == 1 {
			return "1 " + u.one
		}
		return strconv.FormatInt(n, 10) + " " + u.many
	}
	var parts []string
	if d >= 48*time.Hour && d%(24*time.Hour) == 0 {
		parts = append(parts, count(int64(d/(24*time.Hour)), units[0]))
	} else {
		if h := int64(d / time.Hour); h > 0 {
			parts = append(parts, count(h, units[1]))
		}
		if m := int64(d % time.Hour / time.Minute); m > 0 {
			parts = append(parts, count(m, units[2]))
		}
	}
	if lang == "it" {
		return "tra " + strings.Join(parts, " e ")
	}
	return "in " + strings.Join(parts, " ")
}

// orUTC returns loc, or UTC for nil.
func orUTC(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

// FormatSpan writes a lesson's time for a person as notifications do
// ("Tue 1 Dec 2026, 15:00–16:00 (Europe/Rome)"; Italian abbreviations
// for "it"): the help assistant answers with it.
func FormatSpan(start, end time.Time, loc *time.Location, lang string) string {
	return formatSpan(start, end, loc, lang)
}

// FormatDay writes t's date in loc: "Tue 1 Dec 2026", "mar 1 dic 2026".
func FormatDay(t time.Time, loc *time.Location, lang string) string {
	return formatDay(t.In(orUTC(loc)), lang)
}
