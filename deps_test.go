package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

// advisories are the known vulnerabilities of modules Tutorbase links, each
// with the first version that fixes it. Add a row when an advisory is
// published; the test fails while the linked version is older.
var advisories = []struct {
	module, fixed, id string
}{
	{"github.com/pocketbase/pocketbase", "v0.37.4", "GO-2026-5548 (CVE-2026-44166): OAuth2 account pre-hijacking through auto-linking"},
	{"golang.org/x/image", "v0.45.0", "seven decoder denial-of-service advisories (TIFF, WebP, BMP, GIF)"},
}

// TestNoKnownVulnerableModules reads the versions this very binary links
// (the build info of the test binary, which holds the same modules as
// tutorbase) and checks each against the advisories above.
func TestNoKnownVulnerableModules(t *testing.T) {
	t.Parallel()
	info, ok := debug.ReadBuildInfo()
	if !ok {
		t.Fatal("no build info in the test binary")
	}
	linked := map[string]string{}
	for _, d := range info.Deps {
		if d.Replace != nil {
			d = d.Replace
		}
		linked[d.Path] = d.Version
	}
	for _, a := range advisories {
		v, ok := linked[a.module]
		if !ok {
			continue // not linked, not exposed
		}
		if semverLess(v, a.fixed) {
			t.Errorf("%s %s is affected by %s; upgrade to %s or newer", a.module, v, a.id, a.fixed)
		}
	}
	if _, ok := linked["github.com/pocketbase/pocketbase"]; !ok {
		t.Error("PocketBase is not in the build info: the test reads the wrong binary")
	}
}

func TestSemverLess(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want bool
	}{
		{"v0.36.8", "v0.37.4", true},
		{"v0.37.4", "v0.37.4", false},
		{"v0.39.11", "v0.37.4", false},
		{"v0.38.0", "v0.45.0", true},
		{"v0.48.0", "v0.45.0", false},
		{"v1.0.0", "v0.99.99", false},
		{"v0.0.0-20230301143203-a9d515a09cc2", "v0.0.1", true},
	}
	for _, tt := range tests {
		if got := semverLess(tt.a, tt.b); got != tt.want {
			t.Errorf("semverLess(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// semverLess compares the major.minor.patch of two module versions; a
// pre-release or pseudo-version counts as its numbers only (enough for the
// fixed versions above, which are releases).
func semverLess(a, b string) bool {
	pa, pb := semverParts(a), semverParts(b)
	for i := range pa {
		if pa[i] != pb[i] {
			return pa[i] < pb[i]
		}
	}
	return false
}

func semverParts(v string) [3]int {
	v = strings.TrimPrefix(v, "v")
	if i := strings.IndexAny(v, "-+"); i >= 0 {
		v = v[:i]
	}
	var out [3]int
	for i, s := range strings.SplitN(v, ".", 3) {
		out[i], _ = strconv.Atoi(s)
	}
	return out
}

// TestValidationFork: PocketBase reads field errors of its fork of
// ozzo-validation; an error of the original package would reach clients
// as a generic 400 without its fields.
func TestValidationFork(t *testing.T) {
	t.Parallel()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return err
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err == nil && strings.Contains(string(src), `"github.com/`+`go-ozzo/ozzo-validation`) {
			t.Errorf("%s imports go-ozzo/ozzo-validation; use github.com/pocketbase/ozzo-validation/v4", path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
