package hooks_test

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"testing"

	"tutorbase/hooks/hookstest"
	"tutorbase/testkit/stripemock"

	"github.com/pocketbase/pocketbase/ui"
)

// cast is the fixture every scenario in this package clones.
var cast *hookstest.Cast

func TestMain(m *testing.M) {
	// Since v0.37 every apis.NewRouter binds another OnServe handler that
	// adds the dashboard's GET /_/extensions.js, so a second ApiScenario on
	// a shared app (the access matrix, the search tests) panics on the
	// duplicate route. Nothing here tests the dashboard: leave it out, as
	// the no_ui build tag would.
	ui.DistDirFS = nil
	now, err := castClock()
	if err == nil {
		cast, err = hookstest.BuildAt(now, buildFixture)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "building the test fixture:", err)
		os.Exit(1)
	}
	widenParallel()
	code := m.Run()
	stripemock.StopShared()
	cast.Close()
	os.Exit(code)
}

// widenParallel lets two scenarios per core run side by side unless
// -test.parallel says otherwise: a scenario mostly waits (on SQLite's
// serialised writes, on its HTTP round trips, on stripe-mock or mailpit),
// so GOMAXPROCS at a time leaves the cores idle.
func widenParallel() {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		_ = flag.Set("test.parallel", fmt.Sprint(2*runtime.GOMAXPROCS(0)))
	}
}
