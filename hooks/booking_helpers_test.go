package hooks_test

import (
	"time"
)

var rome = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		panic(err)
	}
	return loc
}()

// romeSlot is a lesson `days` local days from today in Rome at hh:mm local,
// lasting `minutes`, as RFC 3339 UTC strings.
func romeSlot(days, hh, mm, minutes int) (string, string) {
	s := romeTime(days, hh, mm)
	return s.Format(time.RFC3339), s.Add(time.Duration(minutes) * time.Minute).Format(time.RFC3339)
}

func romeTime(days, hh, mm int) time.Time {
	now := cast.Now().In(rome)
	return time.Date(now.Year(), now.Month(), now.Day()+days, hh, mm, 0, 0, rome).UTC()
}
