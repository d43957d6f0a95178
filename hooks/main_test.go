package hooks_test

import (
	"fmt"
	"os"
	"testing"

	"tutorbase/hooks/hookstest"

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
	var err error
	cast, err = hookstest.Build(buildFixture)
	if err != nil {
		fmt.Fprintln(os.Stderr, "building the test fixture:", err)
		os.Exit(1)
	}
	code := m.Run()
	cast.Close()
	os.Exit(code)
}
