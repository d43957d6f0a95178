package hooks_test

import (
	"strconv"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/stretchr/testify/require"
)

// TestBookingScenariosYearsAhead runs the booking scenarios again with
// the clock one and two years ahead (a cast built at that time, its apps
// on that clock): neither a rule nor a test may depend on the date it runs
// on. The scenarios read the package's cast, which this test swaps while
// it runs (it is not parallel, so nothing else runs meanwhile).
func TestBookingScenariosYearsAhead(t *testing.T) {
	scenarios := []struct {
		name string
		test func(*testing.T)
	}{
		{"booking rules", TestBookingCreateRules},
		{"bad input", TestBookingBadInput},
		{"direct updates", TestBookingDirectUpdates},
		{"lifecycle actions", TestBookingActions},
		{"complete and no-show", TestCompleteAndNoShow},
		{"series", TestSeries},
		{"slots", TestSlotsRoute},
		{"packages and checkout", TestPackagesAndCheckout},
		{"credits", TestCredits},
		{"unpaid cap", TestUnpaidLessonsAreCapped},
		{"unpaid deadline", TestUnpaidLessonsHaveADeadline},
		{"racing cancels", TestRacingCancelsReturnOneCredit},
		{"racing actions", TestRacingLifecycleActions},
		{"the student hears", TestStudentHearsOfOwnActions},
	}
	for _, years := range []int{1, 2} {
		t.Run(strconv.Itoa(years)+" years ahead", func(t *testing.T) {
			ahead, err := hookstest.BuildAt(func() time.Time { return time.Now().AddDate(years, 0, 0) }, buildFixture)
			require.NoError(t, err)
			defer ahead.Close()
			today := cast
			cast = ahead
			defer func() { cast = today }()
			for _, s := range scenarios {
				t.Run(s.name, s.test)
			}
		})
	}
}
