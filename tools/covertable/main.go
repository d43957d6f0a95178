// Command covertable prints the statement coverage of each package from a
// Go cover profile written with -coverpkg (several test binaries' blocks
// merged: a block is covered when any test covered it), and the packages
// under their target: 90 % for internal/..., 85 % for jobs. It exits 1
// when a package is under its target. make cover runs it.
//
//	go run ./tools/covertable cover.out
package main

import (
	"bufio"
	"fmt"
	"os"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

var line = regexp.MustCompile(`^(.+?):(\d+\.\d+,\d+\.\d+) (\d+) (\d+)$`)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: covertable PROFILE")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer f.Close()
	type block struct{ stmts, count int }
	blocks := map[string]block{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[3])
		c, _ := strconv.Atoi(m[4])
		key := m[1] + ":" + m[2]
		b := blocks[key]
		blocks[key] = block{n, max(b.count, c)}
	}
	type pkg struct{ all, covered int }
	pkgs := map[string]*pkg{}
	for key, b := range blocks {
		name := path.Dir(key[:strings.LastIndex(key, ":")])
		p := pkgs[name]
		if p == nil {
			p = &pkg{}
			pkgs[name] = p
		}
		p.all += b.stmts
		if b.count > 0 {
			p.covered += b.stmts
		}
	}
	names := make([]string, 0, len(pkgs))
	for n := range pkgs {
		names = append(names, n)
	}
	sort.Strings(names)
	failed := false
	for _, n := range names {
		p := pkgs[n]
		pct := 100 * float64(p.covered) / float64(p.all)
		mark := ""
		if t := target(n); t > 0 && pct < t {
			mark, failed = fmt.Sprintf("  under %.0f %%", t), true
		}
		fmt.Printf("%6.1f %%  %5d/%5d  %s%s\n", pct, p.covered, p.all, n, mark)
	}
	if failed {
		os.Exit(1)
	}
}

// target is a package's coverage target, 0 for none.
func target(pkg string) float64 {
	switch {
	case strings.Contains(pkg, "/internal/"):
		return 90
	case strings.HasSuffix(pkg, "/jobs"):
		return 85
	}
	return 0
}
