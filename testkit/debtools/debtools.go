// Package debtools runs the Debian command-line tools some tests check
// their output with: poppler's pdftotext (package poppler-utils) reads a
// PDF's text back, libxml2's xmllint (libxml2-utils) validates XML against
// a schema. `make test` installs them; without them a test skips, or
// fails when TB_REQUIRE_TOOLS=1.
package debtools

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tutorbase/internal/config"
)

// Lookup returns the path of a command, skipping the test when it is not
// installed (failing it under TB_REQUIRE_TOOLS=1).
func Lookup(t testing.TB, name, debianPackage string) string {
	t.Helper()
	bin, err := exec.LookPath(name)
	if err != nil {
		msg := fmt.Sprintf("%s not installed (apt-get install %s)", name, debianPackage)
		if config.RequireTestTools() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return bin
}

// PDFText extracts a PDF's text with pdftotext, keeping the layout so that
// each printed line stays one line, and returns it with the page count
// (each page ends in a form feed).
func PDFText(t testing.TB, pdf []byte) (string, int) {
	t.Helper()
	bin := Lookup(t, "pdftotext", "poppler-utils")
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out), strings.Count(string(out), "\f")
}

// ValidateXML validates doc against an XML schema with xmllint, offline
// (--nonet): imports the schema makes by URL must be mapped to local files
// by catalog (an XML catalog; "" for none). It returns xmllint's output and
// an error when the document is invalid.
func ValidateXML(t testing.TB, schema, catalog string, doc []byte) (string, error) {
	t.Helper()
	bin := Lookup(t, "xmllint", "libxml2-utils")
	path := filepath.Join(t.TempDir(), "doc.xml")
	if err := os.WriteFile(path, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--nonet", "--noout", "--schema", schema, path)
	cmd.Env = append(os.Environ(), "XML_CATALOG_FILES="+catalog)
	out, err := cmd.CombinedOutput()
	return string(out), err
}
