package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"tutorbase/internal/lang"
	"tutorbase/internal/msg"
)

// emitted is one message the server's code can send a client: its error
// code ("" for a top-level message) and its English text, where "…" stands
// for a part computed at run time.
type emitted struct {
	code, text, where string
}

// codeArg and textArg are the argument positions of the functions that
// build client messages (-1: the code is fixed).
var messageFuncs = map[string]struct {
	codeArg, textArg int
	code             string
}{
	"NewError":                {0, 1, ""}, // validation.NewError(code, message)
	"RuleError":               {2, 3, ""}, // platform.RuleError(status, field, code, message)
	"fail":                    {1, 2, ""}, // discovery's queryParams.fail(field, code, message)
	"NoCredit":                {-1, 0, "no_credit"},
	"NewBadRequestError":      {-1, 0, ""},
	"NewForbiddenError":       {-1, 0, ""},
	"NewNotFoundError":        {-1, 0, ""},
	"NewUnauthorizedError":    {-1, 0, ""},
	"NewTooManyRequestsError": {-1, 0, ""},
	"NewApiError":             {-1, 1, ""},
	"BadRequestError":         {-1, 0, ""},
	"ForbiddenError":          {-1, 0, ""},
	"NotFoundError":           {-1, 0, ""},
	"UnauthorizedError":       {-1, 0, ""},
	"TooManyRequestsError":    {-1, 0, ""},
	"err":                     {-1, 0, ""}, // discovery's queryParams.err(message)
}

// scanMessages reads every non-test Go file under the server's packages
// and lists the client messages they build.
func scanMessages(t *testing.T) []emitted {
	t.Helper()
	fset := token.NewFileSet()
	var files []*ast.File
	consts := map[string]string{}
	for _, root := range []string{"internal", "hooks", "cmd", "jobs"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.Contains(path, "hookstest") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			files = append(files, f)
			ast.Inspect(f, func(n ast.Node) bool {
				if vs, ok := n.(*ast.ValueSpec); ok {
					for i, name := range vs.Names {
						if i < len(vs.Values) {
							if s, ok := literal(vs.Values[i]); ok {
								consts[name.Name] = s
							}
						}
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var out []emitted
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr:
				name := funcName(x.Fun)
				spec, ok := messageFuncs[name]
				if !ok || spec.textArg >= len(x.Args) {
					return true
				}
				code := spec.code
				if spec.codeArg >= 0 {
					code = valueOf(x.Args[spec.codeArg], consts)
				}
				text := valueOf(x.Args[spec.textArg], consts)
				if strings.Contains(code, "…") {
					return true // a code computed at run time (a series passes its lessons' on)
				}
				if text == "" || text == "…" {
					text = "" // PocketBase's default text, or a wrapper passing its parameter: the code alone
				}
				out = append(out, emitted{code, text, fset.Position(x.Pos()).String()})
			case *ast.CompositeLit: // schedule.RuleError{Code, Field, Message}
				if id, ok := x.Type.(*ast.Ident); ok && id.Name == "RuleError" && len(x.Elts) == 3 {
					if _, keyed := x.Elts[0].(*ast.KeyValueExpr); !keyed {
						out = append(out, emitted{valueOf(x.Elts[0], consts), valueOf(x.Elts[2], consts), fset.Position(x.Pos()).String()})
					}
				}
			}
			return true
		})
	}
	return out
}

func funcName(e ast.Expr) string {
	switch f := e.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

func literal(e ast.Expr) (string, bool) {
	if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
		s, err := strconv.Unquote(b.Value)
		return s, err == nil
	}
	return "", false
}

// valueOf is a string expression's value, "…" standing for each part known
// only at run time.
func valueOf(e ast.Expr, consts map[string]string) string {
	switch x := e.(type) {
	case *ast.BasicLit:
		if s, ok := literal(x); ok {
			return s
		}
	case *ast.Ident:
		if s, ok := consts[x.Name]; ok {
			return s
		}
	case *ast.SelectorExpr:
		if s, ok := consts[x.Sel.Name]; ok {
			return s
		}
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			return valueOf(x.X, consts) + valueOf(x.Y, consts)
		}
	case *ast.CallExpr:
		if funcName(x.Fun) == "Sprintf" && len(x.Args) > 0 {
			if f, ok := literal(x.Args[0]); ok {
				return regexp.MustCompile(`%[-+# 0-9.]*[sdvq]`).ReplaceAllString(f, "…")
			}
		}
	}
	return "…"
}

// sample is a text with each computed part filled in, for the catalogue
// to recognise.
func sample(text string) string { return strings.ReplaceAll(text, "…", "7") }

// TestEveryServerMessageIsInTheCatalogue enumerates the codes and messages
// the server's code emits and holds each to the catalogue (internal/msg):
// known, in every language. The password codes are built from
// internal/password's own texts, which its tests hold to every language.
func TestEveryServerMessageIsInTheCatalogue(t *testing.T) {
	t.Parallel()
	found := scanMessages(t)
	if len(found) < 150 {
		t.Fatalf("found only %d messages: the scan is broken", len(found))
	}
	codes := map[string]bool{}
	var missing []string
	for _, m := range found {
		if strings.HasPrefix(m.code, "password_") {
			continue
		}
		codes[m.code] = true
		if m.text == "" {
			continue
		}
		for _, l := range lang.Supported {
			if _, ok := msg.Translate(l, m.code, sample(m.text)); !ok {
				missing = append(missing, m.where+": "+l+" "+m.code+" "+strconv.Quote(m.text))
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d messages have no catalogue entry:\n%s", len(missing), strings.Join(missing, "\n"))
	}
	for c := range codes {
		if c != "" && !msg.Known(c) {
			t.Errorf("code %q is not in the catalogue", c)
		}
	}
}
