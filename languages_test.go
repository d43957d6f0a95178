package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"tutorbase/internal/lang"
)

// TestWebAppLanguages: the web app speaks exactly internal/lang's
// languages, the default first, with a dictionary for each of the others
// (English is the source strings themselves).
func TestWebAppLanguages(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("pb_public/js/i18n.js")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`export const LANGS = \[([^\]]*)\]`).FindSubmatch(src)
	if m == nil {
		t.Fatal("pb_public/js/i18n.js has no LANGS list")
	}
	var web []string
	for _, q := range strings.Split(string(m[1]), ",") {
		web = append(web, strings.Trim(strings.TrimSpace(q), `'"`))
	}
	if !slices.Equal(web, lang.Supported) {
		t.Errorf("the web app's LANGS are %v, internal/lang.Supported %v", web, lang.Supported)
	}
	for _, l := range lang.Supported[1:] {
		if _, err := os.Stat("pb_public/js/lang/" + l + ".js"); err != nil {
			t.Errorf("no dictionary for %s: %v", l, err)
		}
	}
}
