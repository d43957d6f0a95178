package hooks_test

import (
	"fmt"
	"os"
	"testing"

	"tutorbase/hooks/hookstest"
)

// cast is the fixture every scenario in this package clones.
var cast *hookstest.Cast

func TestMain(m *testing.M) {
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
