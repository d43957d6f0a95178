package suggest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestGaps(t *testing.T) {
	rome, err := time.LoadLocation("Europe/Rome")
	require.NoError(t, err)
	at := func(d, hh int) time.Time { return time.Date(2026, 12, d, hh, 0, 0, 0, rome) } // 7 December 2026 is a Monday
	slot := func(d, hh int) [2]time.Time { return [2]time.Time{at(d, hh), at(d, hh+1)} }
	free := [][2]time.Time{slot(8, 9), slot(8, 17), slot(9, 17), slot(10, 17), slot(15, 17)}
	lessons := []StudentLesson{
		{"ann", at(1, 17)}, {"ann", at(22, 17)}, // Tuesdays 17:00, one student twice
		{"bob", time.Date(2026, 11, 17, 17, 0, 0, 0, rome)}, // a Tuesday 17:00 too
		{"cai", at(2, 17)}, // Wednesday 17:00
		{"dan", at(3, 18)}, // Thursday 18:00: no free lesson then
		{"eve", at(1, 9)},  // Tuesday 09:00
	}
	got := Gaps(free, lessons, rome)
	require.Equal(t, []Gap{
		{at(8, 17), at(8, 18), 2}, {at(15, 17), at(15, 18), 2}, {at(8, 9), at(8, 10), 1}, {at(9, 17), at(9, 18), 1},
	}, got)
	require.Equal(t, "Tuesday 17:00 is free: 2 of your students have lessons then.", got[0].Text("en", rome))
	require.Equal(t, "martedì alle 09:00 sei libero: un tuo studente fa lezione a quell'ora.", got[2].Text("it", rome))
	require.Empty(t, Gaps(free, nil, rome))
}
