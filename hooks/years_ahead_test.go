package hooks_test

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// yearsAheadEnv, set to N, makes this test binary build its cast N years
// ahead and run its apps on that clock (see TestMain).
const yearsAheadEnv = "TUTORBASE_TEST_YEARS_AHEAD"

// castClock is the clock of this run's cast: now, or yearsAheadEnv years
// ahead of it.
func castClock() (func() time.Time, error) {
	v := os.Getenv(yearsAheadEnv)
	if v == "" {
		return time.Now, nil
	}
	years, err := strconv.Atoi(v)
	if err != nil {
		return nil, err
	}
	return func() time.Time { return time.Now().AddDate(years, 0, 0) }, nil
}

// TestBookingScenariosYearsAhead runs the booking scenarios again with
// the clock one and two years ahead: neither a rule nor a test may depend
// on the date it runs on. Each run is this test binary again, its cast
// built at that time and its apps on that clock, so the runs go side by
// side with the rest of the package.
func TestBookingScenariosYearsAhead(t *testing.T) {
	t.Parallel()
	if os.Getenv(yearsAheadEnv) != "" {
		t.Skip("this is a run years ahead")
	}
	scenarios := []string{
		"TestBookingCreateRules", "TestBookingBadInput", "TestBookingDirectUpdates", "TestBookingActions",
		"TestCompleteAndNoShow", "TestSeries", "TestSlotsRoute", "TestPackagesAndCheckout", "TestCredits",
		"TestUnpaidLessonsAreCapped", "TestUnpaidLessonsHaveADeadline", "TestRacingCancelsReturnOneCredit",
		"TestRacingLifecycleActions", "TestStudentHearsOfOwnActions",
	}
	for _, years := range []int{1, 2} {
		t.Run(strconv.Itoa(years)+" years ahead", func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(os.Args[0], "-test.run", "^("+strings.Join(scenarios, "|")+")$", "-test.count=1", "-test.v")
			cmd.Env = append(os.Environ(), yearsAheadEnv+"="+strconv.Itoa(years))
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("the booking scenarios %d years ahead: %v\n%s", years, err, out)
			}
			for _, s := range scenarios {
				if !strings.Contains(string(out), "--- PASS: "+s+" ") {
					t.Errorf("%s did not pass %d years ahead:\n%s", s, years, out)
				}
			}
		})
	}
}
